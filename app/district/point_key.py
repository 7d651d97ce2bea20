"""The point's own Ed25519 signing key for council packages: made on first use, kept like the data key.

Stored through app/storage/crypto.py's key storage: the OS keyring when a working one exists, else a key file
readable only by this user in the user's config folder (LIAISON_KEY_DIR). Only the public key ever leaves the
computer: `liaison council keys` prints it, the council trusts it with `liaison council trust FILE`.
"""
from __future__ import annotations

import base64
import hashlib
import re

from app.core.errors import FieldError

KEY_ID = "council-signing"  # its name in the keyring, and the key file's name (council-signing.key)
FILE_NAME = f"{KEY_ID}.key"
PREFIX = "ed25519:"


def _stored_seed() -> bytes | None:
    # Kept exactly like the data key (app/storage/crypto.py: keyring, else a 0600 file); the 32-byte seed
    # travels in the same container as a data key's 32 bytes.
    from app.storage import crypto

    key = crypto.load_local(KEY_ID)
    return key.raw if key is not None else None


def _store_seed(seed: bytes) -> None:
    from app.storage import crypto

    crypto.store_local(KEY_ID, crypto.DataKey(seed))


def signing_key():
    """This point's private key; made and kept on first use."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = _stored_seed()
    if seed is None or len(seed) != 32:
        key = Ed25519PrivateKey.generate()
        from cryptography.hazmat.primitives import serialization

        seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
        _store_seed(seed)
    return Ed25519PrivateKey.from_private_bytes(seed)


def where_kept() -> str:
    from app.storage import crypto

    return crypto.where_kept()


def public_bytes(private_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_text(raw: bytes) -> str:
    return PREFIX + base64.b64encode(raw).decode("ascii")


def fingerprint(raw: bytes) -> str:
    """SHA-256 of the raw public key, first 16 bytes in groups of four hex digits (read aloud on the phone)."""
    h = hashlib.sha256(raw).hexdigest()[:32].upper()
    return "-".join(h[i:i + 4] for i in range(0, 32, 4))


def parse_public(text: str) -> bytes:
    """A public key as `liaison council keys` prints it (ed25519:BASE64), or a PEM public key."""
    if "BEGIN PUBLIC KEY" in text:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            key = serialization.load_pem_public_key(text.encode("ascii", "ignore"))
        except ValueError:
            raise FieldError("public_key", "PEM 公钥无法读取") from None
        if not isinstance(key, Ed25519PublicKey):
            raise FieldError("public_key", "公钥不是 Ed25519 密钥")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    found = re.search(r"ed25519:([A-Za-z0-9+/=]{40,48})", text)
    if not found:
        raise FieldError("public_key", "文件中没有联络点公钥（应含一行 ed25519:…，即 liaison council keys 的输出）")
    try:
        raw = base64.b64decode(found.group(1), validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise FieldError("public_key", "公钥长度不对（Ed25519 公钥为 32 字节），请核对文件")
    return raw


def sign(private_key, data: bytes) -> bytes:
    return private_key.sign(data)


def verify(raw_public: bytes, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(raw_public).verify(signature, data)
        return True
    except (InvalidSignature, ValueError):
        return False
