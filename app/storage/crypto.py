"""Encryption at rest of personal data: the data key, AES-GCM per value, where the key is kept, recovery.

The data key (32 random bytes) never enters the database. It is kept in the OS keyring when a working
one exists, else in a key file readable only by this user in the user's config folder. The database
holds only the key's id and a check value, so a wrong key is told apart from a missing one. From the
data key five keys are derived (HKDF-SHA256): one for AES-GCM, one for the blind index (app/storage/blind_index),
one for the HMAC of the audit chain, one for the MAC of its checkpoint and anchor (app/staff/audit,
app/staff/anchor) and one for the seals over cases' and accounts' facts (app/staff/facts).
The recovery key is the data key written in base32 groups; with it another computer opens the data.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag

from app.core import clock
from app.core.errors import FieldError

SERVICE = "liaison-desk"
TOKEN_PREFIX = "v1:"  # encrypted values start so; anything else is not ours
IMPORT_HINT = "请负责人用 liaison key import FILE（或窗口中的“输入恢复密钥”）导入本数据库的恢复密钥"


class KeyMissing(FieldError):
    """This computer does not hold the key of the database it opened."""

    def __init__(self, message: str | None = None):
        super().__init__("key", message or f"本机没有这个数据库的数据密钥，无法读取个人信息。{IMPORT_HINT}")


class KeyMismatch(FieldError):
    def __init__(self):
        super().__init__("key", f"恢复密钥与这个数据库不符（校验值不同）。{IMPORT_HINT}")


def _derive(raw: bytes, purpose: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"liaison-desk", info=purpose).derive(raw)


class DataKey:
    """One database's data key with the keys derived from it."""

    def __init__(self, raw: bytes):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(raw) != 32:
            raise KeyMismatch()
        self.raw = raw
        self._aead = AESGCM(_derive(raw, b"aes-gcm personal data v1"))
        self.index_key = _derive(raw, b"blind index v1")
        self.chain_key = _derive(raw, b"audit chain v1")  # HMAC of the audit chain (app/staff/audit.py)
        # MAC of the chain's checkpoint (the head last verified): a key of its own, so that no link's
        # hash can ever pass for a checkpoint's MAC or the other way round.
        self.checkpoint_key = _derive(raw, b"audit checkpoint v1")
        # Seals over the facts a forger would change in place (a case's state and amounts, an account's
        # role): app/staff/facts.py.
        self.facts_key = _derive(raw, b"facts seal v1")
        self.check = hmac.new(_derive(raw, b"key check v1"), b"liaison-desk", hashlib.sha256).hexdigest()[:32]

    @classmethod
    def generate(cls) -> DataKey:
        return cls(secrets.token_bytes(32))

    def encrypt(self, plain: str | None, aad: str) -> str:
        """A fresh random nonce per value; the column name is bound in as associated data."""
        if not plain:
            return ""
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, plain.encode("utf-8", "surrogatepass"), aad.encode())
        return TOKEN_PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str | None, aad: str) -> str:
        if not token:
            return ""
        if not token.startswith(TOKEN_PREFIX):
            raise FieldError("key", "数据库中的个人信息不是本程序加密的格式")
        blob = binascii.a2b_base64(token[len(TOKEN_PREFIX):])  # an export decrypts 100k's of these
        try:
            return self._aead.decrypt(blob[:12], blob[12:], aad.encode()).decode("utf-8", "surrogatepass")
        except InvalidTag:
            raise KeyMismatch() from None

    def seal(self, data: bytes, aad: str) -> bytes:
        """Bytes (an attachment's chunk): 12-byte random nonce + AES-GCM ciphertext with its tag."""
        nonce = secrets.token_bytes(12)
        return nonce + self._aead.encrypt(nonce, data, aad.encode())

    def unseal(self, blob: bytes, aad: str) -> bytes:
        try:
            return self._aead.decrypt(blob[:12], blob[12:], aad.encode())
        except InvalidTag:
            raise KeyMismatch() from None

    def recovery_text(self) -> str:
        """The data key for people: 13 groups of 4 letters/digits (base32), easy to read and type."""
        text = base64.b32encode(self.raw).decode("ascii").rstrip("=")
        return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def parse_recovery(text: str) -> DataKey:
    """A recovery key as typed or exported (spaces, dashes, lower case and an export file header are fine)."""
    lines = [ln for ln in (text or "").splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    compact = "".join(ch for ch in unicodedata.normalize("NFKC", "".join(lines)) if ch.isalnum()).upper()
    compact = compact.translate(str.maketrans("018", "OIB"))  # base32 has no 0, 1 or 8: misread letters
    if len(compact) != 52:
        raise FieldError("key", "恢复密钥应为 52 个字母和数字（13 组，每组 4 个），请核对后重新输入")
    try:
        raw = base64.b32decode(compact + "====")
    except ValueError:
        raise FieldError("key", "恢复密钥中有无效字符（只含 A–Z 和 2–7），请核对后重新输入") from None
    return DataKey(raw)


# --- where the key is kept ---------------------------------------------------------------------

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
        if isinstance(backend, fail.Keyring):
            return None
        # A weak backend (plain-text files, priority < 1) only when the user chose it on purpose.
        if getattr(backend, "priority", 0) < 1 and not _keyring_chosen():
            return None
        if type(backend).__name__ == "ChainerBackend" and not getattr(backend, "backends", None):
            return None
        backend.get_password(SERVICE, "probe")  # raises when there is no running secret service
        return backend
    except Exception:
        return None


def _keyring_chosen() -> bool:
    """A backend named in PYTHON_KEYRING_BACKEND or the keyring's own config file (keyringrc.cfg)."""
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return True
    try:
        from keyring.core import load_config

        return load_config() is not None
    except Exception:
        return False


def where_kept() -> str:
    backend = _keyring()
    return f"系统钥匙串（{type(backend).__name__}）" if backend else f"密钥文件（{key_folder()}，仅本用户可读）"


def store_local(key_id: str, key: DataKey) -> None:
    from app.core.files import atomic_write, private_dir

    backend = _keyring()
    if backend is not None:
        try:
            backend.set_password(SERVICE, key_id, key.recovery_text())
            return
        except Exception:
            pass  # fall back to the key file
    folder = private_dir(key_folder())
    atomic_write(folder / f"{key_id}.key", lambda p: p.write_text(key.recovery_text() + "\n", encoding="ascii"),
                 "key")


def load_local(key_id: str) -> DataKey | None:
    backend = _keyring()
    if backend is not None:
        try:
            text = backend.get_password(SERVICE, key_id)
            if text:
                return parse_recovery(text)
        except Exception:
            pass
    path = key_folder() / f"{key_id}.key"
    try:
        return parse_recovery(path.read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError, FieldError):
        return None


# --- the database side: key id and check value, and the key attached to an engine -----------------

@dataclass(frozen=True)
class KeyRecord:
    key_id: str
    check: str
    created_at: dt.datetime
    shown_at: dt.datetime | None


def attach(engine_or_dialect, key: DataKey | None) -> None:
    """Personal-data columns of this engine encrypt and decrypt with `key` (see models.EncryptedText)."""
    dialect = getattr(engine_or_dialect, "dialect", engine_or_dialect)
    dialect.liaison_key = key


def attached(engine_or_dialect) -> DataKey:
    dialect = getattr(engine_or_dialect, "dialect", engine_or_dialect)
    key = getattr(dialect, "liaison_key", None)
    if key is None:
        raise KeyMissing()
    return key


def provision(conn) -> DataKey:
    """A new data key for a database that has none: kept locally, its id and check value stored.

    Runs inside the migration that introduced encryption (and on an empty database), under its lock.
    """
    from sqlalchemy import text

    row = conn.execute(text("SELECT key_id, key_check FROM data_keys")).first()
    if row is not None:
        key = load_local(row[0])
        if key is None:
            raise KeyMissing()
        if not hmac.compare_digest(key.check, row[1]):
            raise KeyMismatch()
        attach(conn, key)
        return key
    key = DataKey.generate()
    key_id = secrets.token_hex(8)
    store_local(key_id, key)
    conn.execute(text("INSERT INTO data_keys (key_id, key_check, created_at) VALUES (:i, :c, :t)"),
                 {"i": key_id, "c": key.check, "t": clock.utcnow().replace(tzinfo=None)})
    attach(conn, key)
    return key


def record(session_or_conn) -> KeyRecord | None:
    from sqlalchemy import text

    row = session_or_conn.execute(text("SELECT key_id, key_check, created_at, shown_at FROM data_keys")).first()
    if row is None:
        return None
    return KeyRecord(row[0], row[1], row[2], row[3])


def unlock(engine) -> DataKey:
    """Find this database's key on this computer and attach it; KeyMissing / KeyMismatch otherwise."""
    with engine.connect() as conn:
        rec = record(conn)
    if rec is None:
        raise KeyMissing("数据库没有密钥记录（请先运行 liaison init）")
    key = load_local(rec.key_id)
    if key is None:
        raise KeyMissing()
    if not hmac.compare_digest(key.check, rec.check):
        raise KeyMismatch()
    attach(engine, key)
    return key


def import_recovery(engine, text: str) -> DataKey:
    """A recovery key typed or read from an export: checked against the database, then kept locally."""
    key = parse_recovery(text)
    with engine.connect() as conn:
        rec = record(conn)
    if rec is None:
        raise KeyMissing("数据库没有密钥记录（请先运行 liaison init）")
    if not hmac.compare_digest(key.check, rec.check):
        raise KeyMismatch()
    store_local(rec.key_id, key)
    attach(engine, key)
    return key


def export_text(key: DataKey, key_id: str, point: str = "") -> str:
    return (f"# 维权联络点工作台 恢复密钥 {point}\n# 数据库密钥编号 {key_id}\n"
            "# 妥善保管：有此密钥者可以读取数据库及其备份中的个人信息。\n" + key.recovery_text() + "\n")
