"""How attachment bytes are sealed at rest: one small interface, so the cipher changes in one place.

A stored blob starts with a two-byte tag saying how it was sealed, so blobs written before the data key
existed stay readable after it arrives. `b"P0"`: stored as given (no data key yet); `b"E1"`: AES-GCM.
"""
from __future__ import annotations

PLAIN = b"P0"
SEALED = b"E1"


class SealBroken(ValueError):
    """The stored bytes cannot be opened: changed on disk, or sealed with another key."""


def encrypt_blob(data: bytes) -> bytes:
    # Until the data key of the personal-data encryption is available here, blobs are tagged plain.
    return PLAIN + data


def decrypt_blob(blob: bytes) -> bytes:
    tag, body = blob[:2], blob[2:]
    if tag == PLAIN:
        return body
    raise SealBroken("unknown or unreadable seal")
