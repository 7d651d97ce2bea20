"""The audit chain's head kept outside the database: a database alone cannot tell an old copy of itself
from the present one.

Whoever deletes the newest links and sets `audit_chain` and the checkpoint back (or puts back a copy of
the file taken last week) leaves a chain that holds from its first link to its last. So this computer
keeps, beside its copy of the data key (the key folder, app/storage/crypto.py), the place and hash of
the last link it sealed, with an HMAC under the checkpoint key: `anchor-<key check>.json`. Every check
of the chain asks that this link is still there with the same hash (app/staff/audit.py).

It moves only forward, after each write that sealed links has committed (app/storage/db.py). A restore
(a recorded, legitimate rewind) and a supervisor's `liaison audit --acknowledge` set it to the head they
leave. Another computer sharing a PostgreSQL database keeps its own anchor, of the links it sealed.
"""
from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from app.storage import crypto

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    holds: bool  # its MAC is ours (False: the file was edited)


def _path(key: crypto.DataKey) -> Path:
    return crypto.key_folder() / f"anchor-{key.check[:16]}.json"


def _mac(key: crypto.DataKey, seq: int, link: str) -> str:
    return hmac.digest(key.checkpoint_key, f"audit anchor v1\n{key.check}\n{seq}\n{link}".encode(), "sha256").hex()


def read(key: crypto.DataKey) -> Anchor | None:
    """This computer's anchor for the database of `key`, or None when it never sealed a link of it."""
    from app.core.files import read_limited

    path = _path(key)
    if not path.exists():
        return None
    try:
        data = json.loads(read_limited(path, 4096, "anchor"))
    except (OSError, ValueError, crypto.FieldError):  # cut short by a power cut: as if none
        log.warning("audit anchor unreadable: %s", path)
        return None
    try:
        seq, link, mac = int(data["seq"]), str(data["hash"]), str(data["mac"])
    except (KeyError, TypeError, ValueError):
        return Anchor(0, "", False)
    return Anchor(seq, link, hmac.compare_digest(_mac(key, seq, link), mac))


def _write(key: crypto.DataKey, seq: int, link: str) -> None:
    """Written beside and renamed over, without fsync: an fsync doubled the time of registering a case
    (4.5 ms of 6), and an anchor lost in a power cut is only older (its link is still there) or
    unreadable (then taken as none, below)."""
    import os
    import tempfile

    from app.core.files import private_dir

    folder = crypto.key_folder()
    if folder not in _FOLDERS_MADE:  # once per process: a mkdir and chmod per write cost half a millisecond
        private_dir(folder)
        _FOLDERS_MADE.add(folder)
    text = json.dumps({"seq": seq, "hash": link, "mac": _mac(key, seq, link)})
    fd, name = tempfile.mkstemp(prefix=".anchor-", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
        os.replace(name, _path(key))
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


_FOLDERS_MADE: set[Path] = set()


def advance(key: crypto.DataKey, seq: int, link: str) -> None:
    """After a commit that sealed links up to (seq, link): the anchor moves there, never back. A failure
    (a read-only key folder) is logged, never raised: the write it follows has committed."""
    try:
        now = read(key)
        if now is not None and now.holds and now.seq >= seq:
            return
        _write(key, seq, link)
    except Exception:  # noqa: BLE001 - the anchor is a second line; the database write stands
        log.warning("audit anchor not written", exc_info=True)


def reset(key: crypto.DataKey, seq: int, link: str) -> None:
    """Set the anchor to the head a restore or an acknowledgement leaves (it may be lower)."""
    _write(key, seq, link)
