"""The point's own Ed25519 signing key for council packages: made on first use, kept like the data key.

Kept in the OS keyring when a working one exists, else in a key file readable only by this user in the
user's config folder (LIAISON_KEY_DIR overrides the folder). Only the public key ever leaves the
computer: `liaison council keys` prints it, the council trusts it with `liaison council trust FILE`.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

from app.errors import FieldError

SERVICE = "liaison-desk"
KEYRING_NAME = "council-signing-key"
FILE_NAME = "council-signing.key"
PREFIX = "ed25519:"


def key_folder() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get("LIAISON_KEY_DIR") or Path(user_config_dir("liaison-desk", appauthor=False)) / "keys")


def _keyring():
    """The OS keyring when one really works here, else None (then the key file is used)."""
    if os.environ.get("LIAISON_KEYRING", "").lower() in ("off", "0", "no"):
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) < 1:
            return None
        backend.get_password(SERVICE, "probe")  # raises when there is no running secret service
        return backend
    except Exception:
        return None


def _write_private(path: Path, text: str) -> None:
    """Create the file 0600 in a 0700 folder, never readable by others even for a moment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)
    except OSError:
        pass
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)
    os.replace(tmp, path)


def _stored_seed() -> bytes | None:
    backend = _keyring()
    if backend is not None:
        try:
            text = backend.get_password(SERVICE, KEYRING_NAME)
            if text:
                return base64.b64decode(text)
        except Exception:
            pass
    try:
        return base64.b64decode((key_folder() / FILE_NAME).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _store_seed(seed: bytes) -> None:
    text = base64.b64encode(seed).decode("ascii")
    backend = _keyring()
    if backend is not None:
        try:
            backend.set_password(SERVICE, KEYRING_NAME, text)
            return
        except Exception:
            pass  # fall back to the key file
    _write_private(key_folder() / FILE_NAME, text + "\n")


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
    backend = _keyring()
    return f"系统钥匙串（{type(backend).__name__}）" if backend else f"密钥文件（{key_folder() / FILE_NAME}，仅本用户可读）"


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
