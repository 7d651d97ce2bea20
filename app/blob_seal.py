"""How attachment bytes are sealed at rest: AES-GCM with the database's data key (app/crypto.py).

A stored blob starts with a two-byte tag naming how it was sealed (b"E1": AES-GCM, data key v1), so
a later change of cipher can still read what is stored. The associated data binds a blob to what it is
(content or thumbnail of the attachment with that SHA-256), so blobs cannot be swapped unnoticed.
"""
from __future__ import annotations

SEALED = b"E1"


class SealBroken(ValueError):
    """The stored bytes cannot be opened: changed on disk, or sealed with another key."""


def encrypt_blob(data: bytes, key, aad: str) -> bytes:
    """`key`: the database's crypto.DataKey (crypto.attached(engine))."""
    return SEALED + key.seal_bytes(data, aad.encode())


def decrypt_blob(blob: bytes, key, aad: str) -> bytes:
    from cryptography.exceptions import InvalidTag

    if blob[:2] != SEALED:
        raise SealBroken("unknown seal")
    try:
        return key.open_bytes(blob[2:], aad.encode())
    except (InvalidTag, ValueError):
        raise SealBroken("changed or sealed with another key") from None
