"""The audit trail: who viewed, printed, exported or changed what, and when — append-only and tamper-evident.

One chain covers both tables: the audit log (`audit_log`: views, prints, exports, sign-ins, settings …)
and the case history (`events`: registration, transitions, corrections …). Every row gets a place in
the chain (`chain_seq`, 1, 2, 3 … across both tables) and `chain_hash` = HMAC-SHA256 over the previous
link's hash, its own place and its content, keyed with a key derived from the database's data key
(app/storage/crypto.py, `DataKey.chain_key`). The last link is also kept in `audit_chain` (one row).

Keyed, so that editing a row and recomputing the hashes after it is not enough: whoever does it would
need the data key, which never enters the database. Chains written before the key was used (plain
SHA-256, migrations 0004–0012) are re-sealed once with the key (`reseal`): by migration 0012 when this
computer holds the key, else by a supervisor's recorded `liaison audit --reseal` — never by an open,
since a forger can re-chain rows with plain SHA-256 and mark the chain unkeyed (refused outright when
this computer's anchor shows the chain was keyed). Re-sealing first checks every link with the old rule
and stops at the first one that does not hold, so a change made before the upgrade is still reported
at the same link afterwards.

Sealing happens in the same transaction as the write, just before it commits (`seal`, hooked to every
write session in app/storage/db.py), so code that adds rows — ORM or bulk insert — never computes hashes itself.
A write seals only the rows it added (ids above its `floor`, taken under the write lock): a row put in
with sqlite3 stays reported however many writes follow, until a supervisor records it as found
(`seal_found`, `liaison audit --acknowledge`). Rows written where they cannot be sealed (a desk without
the key) are marked WAITING and sealed when the key is imported there.
Rows must therefore be written inside `Store.write()`; a migration that adds rows calls `seal` on its
connection. `verify` walks the chain and names the first broken link:
- a changed row no longer matches its hash;
- a deleted row leaves a gap in the places (or a tail shorter than `audit_chain` says);
- a row inserted with sqlite3 has no place (or one that breaks the links after it).
One chain rather than two: a case's events and the views and prints around them are one story, and a
single sequence shows a row moved from one table to the other.

Checked incrementally (`verify_since_checkpoint`, every start of the window and of `liaison`): walking
2M links takes over a minute, so a check that found the chain intact leaves a checkpoint behind
(`audit_checkpoint`: the place and hash of the last link it verified, with an HMAC of both under a key
of its own, `DataKey.checkpoint_key`). The next check verifies that MAC, that the checkpointed link is
still there with the same hash and content (a rewritten head or deleted newest links are noticed),
and then walks only the links added since — milliseconds however large the database. A checkpoint
whose MAC does not hold is reported (forged, or copied in from elsewhere) and the whole chain is walked.
The full walk (`verify`: `liaison audit --verify --full`, the audit window) still checks every link
and names the first broken one; a change to a link before the checkpoint is found only by it. The
checkpoint only moves forward (two desks checking at once cannot move it back), and only after a check
that found every link it walked intact.

A database alone cannot tell an old copy of itself from the present one (the newest links cut off, the
head and a checkpoint copied before them put back): each computer therefore keeps the last link it
sealed outside the database too (app/staff/anchor.py), and every check asks for it. The facts a
forger would change in place rather than in the trail — a case's state and amounts, an account's
role — carry seals of their own (app/staff/facts.py), which `verify` also checks.

What this does not stop: someone who holds the data key (a supervisor's recovery key) and rewrites
every hash from the changed row on; a rewind on a computer that never sealed the links cut off (its
anchor is older) or whose key folder was emptied too; and a row marked WAITING by hand, which the next
import of the key on a keyless desk seals (the trail says how many it sealed).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from app.core import clock
from app.staff import identity
from app.storage import crypto
from app.storage.models import AuditChainHead, AuditCheckpoint, AuditEntry, Event

GENESIS = "0" * 64

# Audit log actions and case-event actions, with the Chinese shown in the window and the CLI.
ACTIONS = {
    "view": "查看个人信息", "print": "打印", "export": "导出", "import": "导入", "search": "查找个人信息",
    "search_paused": "查找个人信息过于频繁（已暂停）",
    "change": "修改登记信息", "settings": "修改设置", "staff": "人员管理",
    "sign_in": "登录", "sign_in_failed": "登录失败", "lockout": "账号锁定", "lock": "锁定工作台",
    "unlock": "解锁工作台", "purge": "清除个人信息", "backup": "备份", "restore": "恢复",
    "lookup": "电话查询", "lookup_refused": "电话查询（查询码不符）", "attach": "添加附件",
    "reseal": "重新加封", "acknowledge": "确认记录链问题", "phrases": "修改常用语",
    # case events (table events)
    "register": "登记", "move": "状态变更", "mediation": "调解", "pause": "暂停计时", "resume": "恢复计时",
    "follow_up": "回访", "reopen": "重新打开", "handover": "首问责任移交", "advance": "先行赔付",
    "correct": "更正", "note": "备注", "notice": "送达告知书", "merchant_request": "告知经营者",
    "merchant_reply": "经营者答复",
}


def record(session: Session, action: str, case_no: str = "", detail: str = "") -> None:
    """One entry by the member signed in on this session (app/staff/identity.py)."""
    _add(session, identity.actor(session), action, case_no, detail)


def record_as(session: Session, actor: str, action: str, detail: str = "") -> None:
    """Not a member's own act: sign-in attempts (the account tried is named) and the daily backup."""
    _add(session, actor, action, "", detail)


def recent(session: Session, action: str, seconds: int) -> int:
    """How many entries of `action` the member signed in made in the last `seconds`."""
    since = clock.utcnow() - dt.timedelta(seconds=seconds)
    return session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.actor == identity.actor(session), AuditEntry.action == action, AuditEntry.at >= since)) or 0


def _add(session: Session, actor: str, action: str, case_no: str, detail: str) -> None:
    session.add(AuditEntry(at=clock.utcnow(), actor=actor, action=action, case_no=case_no or "",
                           detail=detail or ""))


# --- the chain ---------------------------------------------------------------------------------------

def _stamp(at: dt.datetime) -> str:
    if at.tzinfo is None:  # SQLite keeps UTC without a zone
        at = at.replace(tzinfo=dt.UTC)
    # isoformat writes what strftime("%Y-%m-%dT%H:%M:%S.%f") wrote, several times faster (2M links)
    return at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _audit_content(r) -> list:
    return ["audit", r.id, _stamp(r.at), r.actor, r.action, r.case_no or "", r.detail or ""]


def _event_content(r) -> list:
    return ["event", r.id, r.case_id, _stamp(r.at), r.actor, r.action, r.from_state or "", r.to_state,
            r.reason_code or "", r.note or ""]


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps makes one a call


def _message(previous: str, seq: int, content: list) -> bytes:
    return f"{previous}\n{seq}\n{_JSON.encode(content)}".encode("utf-8", "surrogatepass")


def link_hash(key: bytes, previous: str, seq: int, content: list) -> str:
    """The link as sealed since 0012: HMAC-SHA256 with the chain key."""
    return hmac.digest(key, _message(previous, seq, content), "sha256").hex()


def legacy_link_hash(previous: str, seq: int, content: list) -> str:
    """The link as 0004 sealed it (plain SHA-256); only `reseal` still reads it."""
    return hashlib.sha256(_message(previous, seq, content)).hexdigest()


def _chain_key(session_or_conn) -> bytes | None:
    """The chain key of the data key attached to this engine, or None on a desk that lacks the key."""
    bind = session_or_conn.get_bind() if isinstance(session_or_conn, Session) else session_or_conn
    dialect = getattr(bind, "dialect", bind)
    key = getattr(dialect, "liaison_key", None)
    return key.chain_key if key is not None else None


_A = AuditEntry.__table__.c
_E = Event.__table__.c
_AUDIT_COLS = (_A.id, _A.at, _A.actor, _A.action, _A.case_no, _A.detail)
_EVENT_COLS = (_E.id, _E.case_id, _E.at, _E.actor, _E.action, _E.from_state, _E.to_state, _E.reason_code, _E.note)


# chain_hash of a row written where it could not be sealed: on a desk without the data key, or while the
# chain is marked unkeyed. Sealed only by a supervisor's recorded act: importing the key on that desk
# (`seal_waiting`), `liaison audit --reseal`, or `liaison audit --acknowledge`.
WAITING = "waiting"


def floor(session: Session) -> tuple[int, int]:
    """The newest event and audit row ids when a write transaction begins: the rows it writes lie above.

    Taken inside the write lock (SQLite's BEGIN IMMEDIATE), so a row put in with sqlite3 before the
    transaction lies at or below it and is never sealed by it. Store.write() keeps it in session.info.
    """
    return (session.scalar(select(func.max(_E.id))) or 0, session.scalar(select(func.max(_A.id))) or 0)


def _ours(table, top: int):
    return and_(table.c.chain_seq.is_(None), table.c.chain_hash.is_(None), table.c.id > top)


def seal(session: Session) -> int:
    """Give every row this transaction added its place and hash; returns how many were sealed.

    Only rows above the transaction's `floor`: a row someone inserted with sqlite3 stays unsealed and
    reported. A desk without the data key (or a chain still marked unkeyed) cannot seal: its rows are
    marked WAITING instead, for a supervisor's recorded act to seal.
    """
    if session.in_nested_transaction():  # a savepoint's release: the outer commit seals
        return 0
    session.flush()
    if "chain_floor" not in session.info:
        raise RuntimeError("audit rows are written inside Store.write()")
    event_top, audit_top = session.info["chain_floor"]
    events = session.execute(select(*_EVENT_COLS).where(_ours(Event.__table__, event_top))
                             .order_by(_E.id)).all()
    entries = session.execute(select(*_AUDIT_COLS).where(_ours(AuditEntry.__table__, audit_top))
                              .order_by(_A.id)).all()
    if not events and not entries:
        return 0
    key = _chain_key(session)
    head = None
    if key is not None:
        # The head row is the lock: on PostgreSQL two desks sealing at once queue here (SQLite's
        # BEGIN IMMEDIATE already serialises writers).
        head = session.execute(select(AuditChainHead.__table__).where(AuditChainHead.__table__.c.id == 1)
                               .with_for_update()).first()
    if key is None or (head is not None and not head.keyed):
        for table, top in ((Event.__table__, event_top), (AuditEntry.__table__, audit_top)):
            session.connection().execute(update(table).where(_ours(table, top)).values(chain_hash=WAITING))
        return 0
    return _link(session, key, head, events, entries)


def _link(session: Session, key: bytes, head, events, entries) -> int:
    """Chain these rows after the head, in this order; the head moves to the last."""
    if not events and not entries:
        return 0
    seq, previous = (head.seq, head.hash) if head else (0, GENESIS)
    event_links: list[dict] = []
    audit_links: list[dict] = []
    for rows, content, links in ((events, _event_content, event_links), (entries, _audit_content, audit_links)):
        for r in rows:
            seq += 1
            previous = link_hash(key, previous, seq, content(r))
            links.append({"row_id": r.id, "seq": seq, "hash": previous})
    if event_links:
        session.connection().execute(
            update(Event.__table__).where(_E.id == bindparam("row_id"))
            .values(chain_seq=bindparam("seq"), chain_hash=bindparam("hash")), event_links)
    if audit_links:
        session.connection().execute(
            update(AuditEntry.__table__).where(_A.id == bindparam("row_id"))
            .values(chain_seq=bindparam("seq"), chain_hash=bindparam("hash")), audit_links)
    table = AuditChainHead.__table__
    if head:
        session.connection().execute(update(table).where(table.c.id == 1).values(seq=seq, hash=previous))
    else:
        session.connection().execute(table.insert().values(id=1, seq=seq, hash=previous, keyed=True))
    session.info["sealed_head"] = (seq, previous)  # for the anchor outside the database (after commit)
    return len(events) + len(entries)


def unsealed_rows(session: Session, waiting_only: bool) -> tuple[list, list]:
    """The rows without a place: (events, audit entries), each as the chain reads them."""
    out: list[list] = []
    for table, cols in ((Event.__table__, _EVENT_COLS), (AuditEntry.__table__, _AUDIT_COLS)):
        where = [table.c.chain_seq.is_(None)] + ([table.c.chain_hash == WAITING] if waiting_only else [])
        out.append(list(session.execute(select(*cols).where(*where).order_by(table.c.id)).all()))
    return out[0], out[1]


def seal_found(session: Session, waiting_only: bool) -> tuple[list[int], list[int]]:
    """Seal rows this desk did not write, as a supervisor's recorded act (the caller records it in the
    same transaction): rows WAITING for the key, or with `waiting_only` False also rows put in by hand.
    Returns the ids sealed (events, audit entries)."""
    key = _key_or_refuse(session)
    head = session.execute(select(AuditChainHead.__table__).where(AuditChainHead.__table__.c.id == 1)
                           .with_for_update()).first()
    if head is not None and not head.keyed:
        raise crypto.FieldError("audit", "记录链标为未加封：请先由负责人运行 liaison audit --reseal")
    events, entries = unsealed_rows(session, waiting_only)
    _link(session, key, head, events, entries)
    return [r.id for r in events], [r.id for r in entries]


@dataclass(frozen=True)
class Broken:
    """The first link of the chain that does not hold."""

    seq: int | None
    source: str  # audit | event | case | staff
    row_id: int | None
    problem: str  # changed | removed | inserted | waiting | tail_removed | unkeyed | checkpoint | rewound | anchor | facts
    detail: str = ""  # facts: which row (案件 2026…, 账号 …)

    def message(self) -> str:
        where = {"audit": "审计记录", "event": "案件历史记录", "case": "案件", "staff": "账号"}.get(self.source, "记录")
        ident = f"{where} #{self.row_id}" if self.row_id is not None else where
        place = f"（链上第 {self.seq} 条）" if self.seq is not None else ""
        return {
            "changed": f"{ident}{place}的内容与记录时不符：已被修改",
            "removed": f"链上第 {self.seq} 条记录不见了：已被删除（其后为{ident}）",
            "inserted": f"{ident}{place or '（审计日志中序号为“—”的一行）'}不是本系统写入的：是直接插入数据库的",
            "tail_removed": f"链上最后的第 {self.seq} 条及以后的记录不见了：已被删除",
            "waiting": f"{ident}是在没有数据密钥（或记录链未加封）时写下的，尚未加封：在那台电脑导入恢复密钥后即加封，"
                       "或由负责人核实后运行 liaison audit --acknowledge",
            "unkeyed": "审计记录链标为“未用密钥加封”：只有在没有数据密钥的电脑上升级过的数据库才会如此，"
                       "若是这样请负责人在有密钥的电脑上运行一次 liaison audit --reseal；否则记录链已被改动",
            "anchor": f"本电脑记下的记录链末端（第 {self.seq} 条）在数据库中不见了或已不是原来那条："
                      "数据库被换成了旧的副本，或其后的记录被删除（记录链被回退）。若是用备份恢复的，"
                      "请用 liaison restore；核实后负责人可运行 liaison audit --acknowledge",
            "anchor_forged": "本电脑记下的记录链末端的校验码不符：该文件已被改动",
            "facts": f"{self.detail}的状态、结果、金额或角色等与最后一次正当修改时不符：已被直接改动数据库",
            "facts_unsealed": f"{self.detail}没有校验封记：若本数据库是在没有数据密钥的电脑上升级的，"
                              "请负责人运行一次 liaison audit --reseal；否则封记已被删除",
            "checkpoint": f"记录链的校验点（第 {self.seq} 条）不是本系统写入的：校验码不符，已被改动或伪造",
            "rewound": f"上次校验时链上已有的第 {self.seq} 条记录现在不见了或已不是原来那条："
                       "其后的记录被删除或改写过（记录链被回退）",
        }[self.problem]


@dataclass(frozen=True)
class Verification:
    links: int
    broken: Broken | None
    # The last link found intact, (seq, hash), when every link walked held: where the checkpoint moves.
    head: tuple[int, str] | None = None
    full: bool = True  # every link walked; False: only those after the checkpoint
    checked: int = 0  # how many links this check walked

    @property
    def ok(self) -> bool:
        return self.broken is None


_CHAIN = (("event", Event.__table__, _EVENT_COLS, _event_content),
          ("audit", AuditEntry.__table__, _AUDIT_COLS, _audit_content))


def _sealed_rows(session_or_conn, after: int = 0) -> Iterator[tuple]:
    """Every sealed row of both tables (after place `after`) as (seq, hash, source, row, content), in
    chain order, read as it goes (two index-ordered streams merged): at a district's 2M events a list
    of them took 330 MB."""
    def stream(source, table, cols, content):
        where = table.c.chain_seq.is_not(None) if after <= 0 else table.c.chain_seq > after
        query = (select(table.c.chain_seq, table.c.chain_hash, *cols).where(where)
                 .order_by(table.c.chain_seq).execution_options(yield_per=5000))
        for r in session_or_conn.execute(query):
            yield r.chain_seq, r.chain_hash, source, r, content

    return heapq.merge(*(stream(*part) for part in _CHAIN), key=lambda link: link[0])


def chain_length(session_or_conn) -> int:
    """How many rows the chain has sealed (the head's sequence number: no count over the tables)."""
    head = session_or_conn.execute(select(AuditChainHead.__table__.c.seq)
                                   .where(AuditChainHead.__table__.c.id == 1)).first()
    return head.seq if head else 0


def _chain_counts(session_or_conn) -> tuple[int, tuple[int, str, bool] | None]:
    """How many rows are sealed, and the first unsealed row (id, source, waiting), if any."""
    sealed = 0
    for _source, table, _cols, _content in _CHAIN:
        sealed += session_or_conn.scalar(select(func.count()).select_from(table)
                                         .where(table.c.chain_seq.is_not(None))) or 0
    return sealed, _first_unsealed(session_or_conn)


def _key_or_refuse(session: Session) -> bytes:
    key = _chain_key(session)
    if key is None:
        raise crypto.KeyMissing("本机没有这个数据库的数据密钥，无法校验审计记录。" + crypto.IMPORT_HINT)
    return key


def chain_head(session: Session):
    return session.execute(select(AuditChainHead.__table__).where(AuditChainHead.__table__.c.id == 1)).first()


def link_hash_at(session: Session, seq: int) -> str | None:
    """The stored hash of the link at place `seq`, when exactly one row holds it."""
    links = _links_at(session, seq)
    return links[0][0] if len(links) == 1 else None


def verify(session: Session) -> Verification:
    """Walk the whole chain (both tables) in order and report the first link that does not hold; then
    hold the checkpoint against it (its MAC, and that its link is still the one it names).

    Needs the data key (the links are keyed): without it, crypto.KeyMissing.
    """
    key = _key_or_refuse(session)
    outside = _read_anchor(session)  # before the first query: its link is then inside this snapshot
    head = chain_head(session)
    if head is not None and not head.keyed:
        return Verification(0, Broken(None, "audit", None, "unkeyed"))
    sealed, unsealed = _chain_counts(session)
    point = read_checkpoint(session)
    result = _walk(session, key, head, 0, GENESIS, sealed, unsealed, point.seq if point else None)
    if result.broken is not None:
        return _plain(result)
    if point is not None and not checkpoint_holds(session, point):
        return _plain(result, Broken(point.seq, "checkpoint", None, "checkpoint"))
    if point is not None and (result.watched is None or not hmac.compare_digest(result.watched, point.hash)):
        return _plain(result, Broken(point.seq, "checkpoint", None, "rewound"))
    return _plain(result, _anchor_broken(session, outside) or _facts_broken(session, cases=True))


def _read_anchor(session: Session):
    from app.staff import anchor

    return anchor.read(crypto.attached(session.get_bind()))


def _anchor_broken(session: Session, outside) -> Broken | None:
    """This computer's record of the last link it sealed, against the database (app/staff/anchor.py)."""
    if outside is None:
        return None
    if not outside.holds:
        return Broken(None, "anchor", None, "anchor_forged")
    if outside.seq <= 0:
        return None
    links = _links_at(session, outside.seq)
    if len(links) != 1 or not hmac.compare_digest(links[0][0] or "", outside.hash):
        return Broken(outside.seq, "anchor", None, "anchor")
    return None


def _facts_broken(session: Session, cases: bool) -> Broken | None:
    """The first account (and case) whose sealed facts were changed in place (app/staff/facts.py)."""
    from app.staff import facts

    for kind, name, unsealed in facts.broken_rows(session, crypto.attached(session.get_bind()), cases):
        label = f"案件 {name}" if kind == "case" else f"账号 {name}"
        return Broken(None, kind, None, "facts_unsealed" if unsealed else "facts", label)
    return None


@dataclass(frozen=True)
class _Walked(Verification):
    watched: str | None = None  # the stored hash of the link at the place asked for (the checkpoint's)


def _plain(result: Verification, broken: Broken | None = None) -> Verification:
    """The result as callers get it (a Verification, compared and pickled as one), with `broken` if given."""
    return Verification(result.links, broken or result.broken, result.head, result.full, result.checked)


def _walk(session, key: bytes, head, after: int, previous: str, sealed: int, unsealed, watch: int | None,
          full: bool = True) -> _Walked:
    """The links after place `after` (whose hash is `previous`), in order, against their hashes and the head."""
    top = head.seq if head else 0
    expected, checked, watched = after + 1, 0, (previous if watch == after else None)
    for seq, stored, source, r, content in _sealed_rows(session, after):
        if seq > top:  # beyond the last link ever sealed: put there by hand
            return _Walked(sealed, Broken(seq, source, r.id, "inserted"), None, full, checked)
        if seq != expected:
            return _Walked(sealed, Broken(expected, source, r.id, "removed"), None, full, checked)
        checked += 1
        if not hmac.compare_digest(link_hash(key, previous, seq, content(r)), stored or ""):
            return _Walked(sealed, Broken(seq, source, r.id, "changed"), None, full, checked)
        if seq == watch:
            watched = stored
        previous, expected = stored, expected + 1
    if unsealed:
        row_id, source, waiting = unsealed
        return _Walked(sealed, Broken(None, source, row_id, "waiting" if waiting else "inserted"), None, full,
                       checked)
    last = expected - 1
    if head is not None and (top > last or head.hash != previous):
        return _Walked(sealed, Broken(last + 1, "audit", None, "tail_removed"), None, full, checked)
    return _Walked(sealed, None, (last, previous), full, checked, watched)


def verify_since_checkpoint(session: Session) -> Verification:
    """The check at every start: only the links after the checkpoint (milliseconds, whatever the size).

    Holds the checkpoint's MAC, that its link is still there with the same hash and content, then
    walks the links after it, the tail against the head, and looks for rows without a place. Without
    a checkpoint (a new database, or none written yet) the whole chain is walked; with one whose MAC
    does not hold, too, and the forged checkpoint is reported when no link is broken before.
    A change to a link before the checkpoint is not seen here: `verify` walks them all.
    """
    key = _key_or_refuse(session)
    outside = _read_anchor(session)  # before the first query: its link is then inside this snapshot
    head = chain_head(session)
    if head is not None and not head.keyed:
        return Verification(0, Broken(None, "audit", None, "unkeyed"), full=False)
    point = read_checkpoint(session)
    if point is None or not checkpoint_holds(session, point):
        return _plain(verify(session))  # verify reports a forged checkpoint after the links
    top = head.seq if head else 0
    if point.seq > top:  # the head set back (or removed) to before the last link verified
        return Verification(top, Broken(point.seq, "checkpoint", None, "rewound"), full=False)
    if point.seq > 0:  # the checkpoint's link: still there, the same hash, its content still matching it
        at_point = _links_at(session, point.seq)
        if len(at_point) != 1 or not hmac.compare_digest(at_point[0][0] or "", point.hash):
            return Verification(top, Broken(point.seq, "checkpoint", None, "rewound"), full=False)
        stored, source, r, content = at_point[0]
        before = _links_at(session, point.seq - 1) if point.seq > 1 else [(GENESIS, None, None, None)]
        if len(before) != 1 or not hmac.compare_digest(link_hash(key, before[0][0] or "", point.seq, content(r)),
                                                       stored):
            return Verification(top, Broken(point.seq, source, r.id, "changed"), full=False)
    unsealed = _first_unsealed(session)
    result = _walk(session, key, head, point.seq, point.hash, top, unsealed, None, full=False)
    if result.broken is not None:
        return _plain(result)
    return _plain(result, _anchor_broken(session, outside) or _facts_broken(session, cases=False))


def _links_at(session, seq: int) -> list[tuple]:
    """The links at place `seq` as (hash, source, row, content): one, unless rows were deleted or forged."""
    found = []
    for source, table, cols, content in _CHAIN:
        for r in session.execute(select(table.c.chain_hash, *cols).where(table.c.chain_seq == seq)):
            found.append((r.chain_hash, source, r, content))
    return found


def _first_unsealed(session_or_conn) -> tuple[int, str, bool] | None:
    """The first row without a place (id, source, waiting for the key): through the index on chain_seq."""
    first = None
    for source, table, _cols, _content in _CHAIN:
        row = session_or_conn.execute(select(table.c.id, table.c.chain_hash).where(table.c.chain_seq.is_(None))
                                      .order_by(table.c.id).limit(1)).first()
        if row is not None and (first is None or (row.id, source) < first[:2]):
            first = (row.id, source, row.chain_hash == WAITING)
    return first


# --- the checkpoint ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    mac: str


def checkpoint_mac(key: crypto.DataKey, seq: int, link: str) -> str:
    return hmac.digest(key.checkpoint_key, f"audit checkpoint v1\n{seq}\n{link}".encode("utf-8", "surrogatepass"), "sha256").hex()


def read_checkpoint(session_or_conn) -> Checkpoint | None:
    table = AuditCheckpoint.__table__
    row = session_or_conn.execute(select(table.c.seq, table.c.hash, table.c.mac).where(table.c.id == 1)).first()
    return Checkpoint(row.seq, row.hash, row.mac) if row is not None else None


def checkpoint_holds(session_or_conn, point: Checkpoint) -> bool:
    bind = session_or_conn.get_bind() if isinstance(session_or_conn, Session) else session_or_conn
    key = crypto.attached(bind)
    return hmac.compare_digest(checkpoint_mac(key, point.seq, point.hash), point.mac or "")


def advance_checkpoint(conn, key: crypto.DataKey, seq: int, link: str) -> bool:
    """Move the checkpoint to the link (seq, hash) a check just found intact; only ever forward, so two
    desks checking at once cannot move it back. True when it moved (or was made)."""
    values = {"s": seq, "h": link, "m": checkpoint_mac(key, seq, link)}
    moved = conn.execute(text("UPDATE audit_checkpoint SET seq = :s, hash = :h, mac = :m WHERE id = 1 AND seq < :s"),
                         values).rowcount
    if moved:
        return True
    # None yet: the first check makes it (another desk making it at the same moment wins, as it should)
    made = conn.execute(text("INSERT INTO audit_checkpoint (id, seq, hash, mac) VALUES (1, :s, :h, :m) "
                             "ON CONFLICT (id) DO NOTHING"), values).rowcount
    return bool(made)


def reseal(conn, key: crypto.DataKey) -> bool:
    """Move a chain sealed with plain SHA-256 (before 0012) to keyed links, once; True when it did.

    Each link is first checked with the old rule; re-sealing stops at the first one that does not
    hold, so that link (and everything after it) still fails `verify` exactly where it failed before.
    Runs on a connection inside the caller's write transaction (migration 0012, or Store.unlock).
    """
    table = AuditChainHead.__table__
    head = conn.execute(select(table).where(table.c.id == 1).with_for_update()).first()
    if head is None or head.keyed:
        return False
    old_previous, new_previous, expected = GENESIS, GENESIS, 1
    updates: dict[str, list] = {"event": [], "audit": []}
    intact = True
    for seq, stored, source, r, content in list(_sealed_rows(conn)):  # read whole before the updates
        if seq != expected or seq > head.seq or legacy_link_hash(old_previous, seq, content(r)) != stored:
            intact = False
            break
        new_previous = link_hash(key.chain_key, new_previous, seq, content(r))
        updates[source].append({"row_id": r.id, "h": new_previous})
        old_previous, expected = stored, expected + 1
    for source, model in (("event", Event.__table__), ("audit", AuditEntry.__table__)):
        links = updates[source]
        for start in range(0, len(links), 5000):
            conn.execute(update(model).where(model.c.id == bindparam("row_id")).values(chain_hash=bindparam("h")),
                         links[start:start + 5000])
    # The head moves to the keyed last link only when the old head matched the old last link.
    values: dict[str, object] = {"keyed": True}
    if intact and head.seq == expected - 1 and head.hash == old_previous:
        values["hash"] = new_previous
    conn.execute(update(table).where(table.c.id == 1).values(**values))
    return True


# --- reading -----------------------------------------------------------------------------------------

@dataclass
class TrailFilter:
    since: dt.datetime | None = None
    until: dt.datetime | None = None  # exclusive
    staff: str = ""
    action: str = ""
    case_no: str = ""


def trail(session: Session, f: TrailFilter | None = None, limit: int | None = None) -> list[dict]:
    """The trail as one list (audit entries and case events), in the order they were written."""
    from app.storage.models import Case

    f = f or TrailFilter()
    out = []
    if not f.action or f.action in EVENT_ACTIONS:
        q = select(Event, Case.case_no).join(Case, Case.id == Event.case_id)
        conds = _conditions(Event, f) + ([Case.case_no == f.case_no] if f.case_no else [])
        for e, case_no in session.execute(q.where(and_(*conds)) if conds else q):
            out.append(_row(e.chain_seq, e.at, e.actor, e.action, case_no, e.note, "event"))
    if not f.action or f.action in AUDIT_ACTIONS:
        conds = _conditions(AuditEntry, f) + ([AuditEntry.case_no == f.case_no] if f.case_no else [])
        entries = select(AuditEntry)
        for a in session.scalars(entries.where(and_(*conds)) if conds else entries):
            out.append(_row(a.chain_seq, a.at, a.actor, a.action, a.case_no, a.detail, "audit"))
    out.sort(key=lambda r: (r["seq"] is None, r["seq"] or 0, r["at"]))
    return out[-limit:] if limit else out


EVENT_ACTIONS = {"register", "move", "mediation", "pause", "resume", "follow_up", "reopen", "handover", "advance",
                 "correct", "import", "note", "notice", "purge", "merchant_request", "merchant_reply"}
AUDIT_ACTIONS = (set(ACTIONS) - EVENT_ACTIONS) | {"import", "purge"}


def _conditions(model, f: TrailFilter) -> list:
    conds = []
    if f.since:
        conds.append(model.at >= f.since)
    if f.until:
        conds.append(model.at < f.until)
    if f.staff:
        conds.append(model.actor == f.staff)
    if f.action:
        conds.append(model.action == f.action)
    return conds


def _row(seq, at, actor, action, case_no, detail, source) -> dict:
    from app.core.clock import LOCAL_TZ

    return {"seq": seq, "at": at.astimezone(LOCAL_TZ).isoformat(), "staff": actor, "action": action,
            "action_label": ACTIONS.get(action, action), "case_no": case_no or "", "detail": detail or "",
            "source": source}


def actors(session: Session) -> list[str]:
    """Everyone who appears in the trail (for the viewer's filter)."""
    names = set(session.scalars(select(AuditEntry.actor).distinct())) | set(session.scalars(select(Event.actor)
                                                                                             .distinct()))
    return sorted(names)


def entries(session: Session, since: dt.datetime | None = None) -> list[AuditEntry]:
    """The audit log rows alone (without case events), oldest first."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return list(session.scalars(query))
