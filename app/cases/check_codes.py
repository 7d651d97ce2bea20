"""The check code (查询码) printed on the receipt: six characters a caller reads out to hear how the case
stands, instead of personal data. A keyed hash of the case number (the key derived from the data key), so
it cannot be worked out from the case number and needs no column; letters that look alike are left out."""
from __future__ import annotations

import hashlib
import hmac

from app.storage import crypto

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 signs: no 0/O, 1/I
LENGTH = 6


def code(key: crypto.DataKey, case_no: str) -> str:
    digest = hmac.new(key.index_key, f"check\x00{case_no}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(LENGTH))


def normal(typed: str) -> str:
    """What a clerk types, as the code is printed: capitals, no spaces or dashes."""
    return "".join(typed.split()).replace("-", "").upper()


def matches(key: crypto.DataKey, case_no: str, typed: str) -> bool:
    return hmac.compare_digest(code(key, case_no), normal(typed))
