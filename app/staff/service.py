"""The desk's services for staff: accounts, audit."""
from __future__ import annotations

import builtins
import datetime as dt
import logging

from app.core.errors import FieldError
from app.staff import accounts, audit, identity
from app.staff.identity import Identity, Refused, require
from app.storage import crypto
from app.storage.db import Service

log = logging.getLogger(__name__)


class AccountService(Service):
    @property
    def current(self) -> Identity | None:
        """Who is signed in on this desk (None before sign-in)."""
        return self.store.identity

    def _authenticate(self, login: str, password: str, purpose: str) -> Identity:
        with self.store.write() as s:  # committed even when refused: failures count and are audited
            result = accounts.authenticate(s, login, password, purpose)
        if result.identity is None:
            raise Refused(result.message)
        return result.identity

    def sign_in(self, login: str, password: str) -> Identity:
        """Check the password (5 wrong tries lock the account for 5 minutes) and act as that member."""
        who = self._authenticate(login, password, "登录")
        self.store.identity = who
        return who

    def sign_in_os_user(self, user: str | None = None) -> Identity | None:
        """Act as the account linked to the operating-system user (the command line without --staff)."""
        with self.store.read() as s:
            who = accounts.os_identity(s, user)
        if who is not None:
            self.store.identity = who
        return who

    def sign_out(self) -> None:
        self.store.identity = None

    @property
    def locked(self) -> bool:
        return self.store.locked

    def lock(self) -> None:
        """The window locked itself (idle or Ctrl+L); the member stays signed in behind the lock."""
        self.store.locked = True
        if self.store.identity is not None:
            with self.store.write() as s:
                audit.record(s, "lock", detail="锁定工作台")

    def unlock(self, login: str, password: str) -> Identity:
        """The same member's password, or a supervisor's, who then acts from here on."""
        before = self.store.identity
        who = self._authenticate(login, password, "解锁工作台")
        if before is not None and who.login != before.login and not who.is_supervisor:
            raise Refused(f"只有{before.display}本人或负责人可以解锁")
        self.store.identity = who
        self.store.locked = False
        with self.store.write() as s:
            audit.record(s, "unlock", detail="解锁工作台" + (f"（{before.display} 锁定的）" if before and
                                                           before.login != who.login else ""))
        return who

    def needs_first_supervisor(self) -> bool:
        with self.store.read() as s:
            return accounts.needs_first_supervisor(s)

    def count(self) -> int:
        with self.store.read() as s:
            return accounts.count(s)

    def create_first_supervisor(self, login: str, display: str, password: str, repeat: str | None = None) -> Identity:
        """First start in the window: the supervisor, who is then signed in."""
        accounts.check_password(password, repeat)
        with self.store.write() as s:
            who = accounts.first_supervisor(s, login, display, password)
        self.store.identity = who
        return who

    def bootstrap_os_user(self, display: str | None = None) -> Identity | None:
        """A new database used from the command line: the OS user becomes its first supervisor.

        Returns the account when this call made it; None when one existed (then, if another desk just
        made the OS user's account, this desk is signed in as it too).
        """
        user = accounts.os_user()
        if not user:
            return None
        with self.store.write() as s:
            # Several desks starting together on a new PostgreSQL database: one makes the account, the
            # others wait here and then find it (SQLite's write lock already queues them).
            self.store._migration_lock(s.connection())
            if accounts.count(s):
                who = None
            else:
                who = accounts.first_supervisor(s, user, display or _full_name(user) or user, None, user)
        if who is None:  # another desk was first: act as the account it made (None: it was not made here)
            self.sign_in_os_user(user)
            return None
        self.store.identity = who
        return who

    def list(self) -> builtins.list[dict]:
        with self.store.read() as s:
            require(s, "supervisor", "查看工作人员账号")
            return accounts.list_accounts(s)

    def names(self) -> builtins.list[str]:
        """Display names of all accounts (filters in the audit viewer, handover)."""
        with self.store.read() as s:
            return [a["display"] for a in accounts.list_accounts(s)]

    def add(self, login: str, display: str, role: str, password: str | None = None,
            os_user: str | None = None) -> dict:
        with self.store.write() as s:
            return accounts.account_json(accounts.add(s, login, display, role, password, os_user))

    def set_password(self, login: str, password: str, repeat: str | None = None) -> None:
        accounts.check_password(password, repeat)
        with self.store.write() as s:
            accounts.set_password(s, login, password)

    def set_disabled(self, login: str, disabled: bool = True) -> None:
        with self.store.write() as s:
            accounts.set_disabled(s, login, disabled)

    def set_role(self, login: str, role: str) -> None:
        with self.store.write() as s:
            accounts.set_role(s, login, role)


def _full_name(user: str) -> str:
    try:
        import pwd

        return pwd.getpwnam(user).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError):
        return ""


OWN_PROCESS_FROM = 50_000  # links; a chain this long takes seconds to check


def _verify_in_this_process(url: str, raw_key: bytes, full: bool = True) -> audit.Verification | str:
    """The chain check in a process started for it (verify_aside): the database opened with the
    window's key, nothing migrated; only the checkpoint is written (AuditService.verify)."""
    from app.storage.db import Store

    store = None
    try:
        store = Store(url, migrate=False)
        crypto.attach(store.engine, crypto.DataKey(raw_key))
        return AuditService(store).verify(full)
    except Exception as e:  # noqa: BLE001 - reported by the window as the check's failure
        return str(e) or type(e).__name__
    finally:
        if store is not None:
            store.dispose()


class AuditService(Service):
    def entries(self, since: dt.datetime | None = None) -> list[dict]:
        """The whole trail (audit log and case events, in the order written) since a moment."""
        return self.trail(audit.TrailFilter(since=since))

    def trail(self, f: audit.TrailFilter | None = None, limit: int | None = None) -> list[dict]:
        """Supervisors only: the trail names who looked at whom."""
        with self.store.read() as s:
            identity.require(s, "supervisor", "查看审计记录")
            return audit.trail(s, f, limit)

    def verify(self, full: bool = True) -> audit.Verification:
        """Check the chain: every link from the first (`full`), or only those added since the
        checkpoint (every start of the window and of `liaison`; milliseconds at any size). A check
        that found the links it walked intact moves the checkpoint to the last of them."""
        with self.store.read() as s:
            if not self.store.is_sqlite:  # one snapshot (SQLite's read transaction is one): a desk sealing
                # meanwhile would otherwise show links past the head just read, as if inserted by hand
                s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            result = audit.verify(s) if full else audit.verify_since_checkpoint(s)
        if result.ok and result.head is not None and result.head[0] > 0 and (result.full or result.checked):
            self._advance(result.head)
        return result

    def _advance(self, head: tuple[int, str]) -> None:
        """The checkpoint moves forward, in a short write of its own. Busy (another desk holds the write
        lock for a while, an import): it stays where it is, and the next check walks a few links more."""
        from sqlalchemy.exc import OperationalError

        key = crypto.attached(self.store.engine)
        sqlite = self.store.is_sqlite
        with self.store.engine.connect() as conn:
            try:
                if sqlite:  # not the desk's 30 s: a check never waits long for its checkpoint
                    conn.exec_driver_sql("PRAGMA busy_timeout=500")
                    conn.commit()
                with conn.execution_options(immediate=True).begin():
                    if not sqlite:
                        conn.exec_driver_sql("SET LOCAL lock_timeout = '500ms'")
                    audit.advance_checkpoint(conn, key, *head)
            except OperationalError:
                log.info("audit checkpoint not moved: the database is busy", exc_info=True)
            finally:
                if sqlite:  # execution_options() changed this connection: without immediate=False the
                    # pragma began with BEGIN IMMEDIATE, and failed (意外错误) if another desk was writing
                    conn.execution_options(immediate=False)
                    conn.exec_driver_sql("PRAGMA busy_timeout=30000")
                    conn.commit()

    def verify_aside(self, full: bool = False, own_process_from: int = OWN_PROCESS_FROM) -> audit.Verification:
        """verify, for the window (start of day: since the checkpoint; the audit window: `full`): a
        long walk is done by a process of its own.

        The check is pure Python (a district's 2M links take over a minute); on a thread of the
        window it held the GIL against every paint and keystroke the whole time. Another process
        uses the other core and leaves the window alone; a short walk is not worth starting one.
        """
        key = getattr(self.store.engine.dialect, "liaison_key", None)
        if key is None:  # no key here: verify says so in its words
            return self.verify(full)
        with self.store.read() as s:
            links = audit.chain_length(s)
            point = None if full else audit.read_checkpoint(s)
            if point is not None and 0 <= point.seq <= links and audit.checkpoint_holds(s, point):
                links -= point.seq  # what is left to walk
        if links < own_process_from:
            return self.verify(full)
        import concurrent.futures
        import multiprocessing

        url = self.store.url.render_as_string(hide_password=False)
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            outcome = pool.submit(_verify_in_this_process, url, key.raw, full).result()
        if isinstance(outcome, str):  # the child's error, as text: exceptions of app/ do not all pickle
            raise FieldError("audit", outcome)
        return outcome

    def staff_names(self) -> list[str]:
        with self.store.read() as s:
            identity.require(s, "supervisor", "查看审计记录")
            return audit.actors(s)

    def reseal(self) -> dict:
        """Once, after an upgrade on a computer without the key: seal the chain still marked unkeyed, the
        rows waiting for the key, the cases and accounts without a seal and the attachments sealed the old
        way — a supervisor's act, recorded with what it sealed. Refused when this computer's anchor shows
        the chain was already sealed with the key (then the mark was forged)."""
        from app.evidence import attachments
        from app.staff import anchor, facts

        self.store.require_key()
        key = crypto.attached(self.store.engine)
        outside = anchor.read(key)
        with self.store.write() as s:
            identity.require(s, "supervisor", "重新加封审计记录")
            head = audit.chain_head(s)
            unkeyed = head is not None and not head.keyed
            if unkeyed and outside is not None:
                raise FieldError("audit", f"本电脑记下这个数据库的记录链早已用密钥加封（至第 {outside.seq} 条），"
                                          "现在却标为未加封：记录链被改动过，不能重新加封。请从备份恢复")
            chain = audit.reseal(s.connection(), key)
            events, entries = audit.seal_found(s, waiting_only=True)
            missing = [name for _kind, name, unsealed in facts.broken_rows(s, key) if unsealed]
            sealed_facts = facts.reseal_all(s, key)
            sealed_files = attachments.reseal_legacy(s.connection(), key)
            done = {"chain": chain, "waiting": len(events) + len(entries), "facts": sealed_facts,
                    "attachments": sealed_files}
            if not any(done.values()):
                raise FieldError("audit", "没有需要重新加封的内容：记录链、案件、账号和附件都已加封")
            audit.record(s, "reseal", detail=_reseal_detail(done, missing))
        return done

    def acknowledge(self) -> dict:
        """A supervisor has looked into what the check reports and records it as found: rows put in by
        hand (or waiting for a key) are sealed where they stand, cases and accounts changed in place are
        sealed as they now are, and this computer's anchor moves to the present head. Each is named in
        the audit row this writes; a changed or deleted link stays reported (it cannot be made whole)."""
        from app.staff import anchor, facts

        self.store.require_key()
        key = crypto.attached(self.store.engine)
        outside = anchor.read(key)
        with self.store.write() as s:
            identity.require(s, "supervisor", "确认审计记录中的问题")
            events, entries = audit.seal_found(s, waiting_only=False)
            changed = [f"{'案件' if kind == 'case' else '账号'} {name}" for kind, name, _ in facts.broken_rows(s, key)]
            if changed:
                facts.reseal_all(s, key, only_missing=False)
            before = audit.chain_head(s)
            rewound = outside is not None and (not outside.holds or (outside.seq > 0 and (
                before is None or outside.seq > before.seq or audit.link_hash_at(s, outside.seq) != outside.hash)))
            if not (events or entries or changed or rewound):
                raise FieldError("audit", "没有需要确认的问题：没有未加封的记录、被改动的案件或账号，记录链也没有被回退")
            parts = []
            if events or entries:
                parts.append(f"加封了直接写入数据库的记录：案件历史 {_ids(events)}；审计记录 {_ids(entries)}")
            if changed:
                parts.append(f"按现状重新加封了被直接改动的 {len(changed)} 项：{'、'.join(changed[:50])}"
                             + ("等" if len(changed) > 50 else ""))
            if rewound:
                parts.append(f"本电脑记下的记录链末端（第 {outside.seq if outside else 0} 条）已不在，改记为现在的末端")
            audit.record(s, "acknowledge", detail="；".join(parts))
        with self.store.read() as s:
            head = audit.chain_head(s)
        if head is not None:
            anchor.reset(key, head.seq, head.hash)
        return {"sealed_rows": len(events) + len(entries), "resealed_facts": len(changed), "rewound": rewound}


def _ids(ids: builtins.list[int]) -> str:
    return "、".join(f"#{i}" for i in ids[:50]) + ("等" if len(ids) > 50 else "") if ids else "无"


def _reseal_detail(done: dict, missing: builtins.list[str]) -> str:
    parts = []
    if done["chain"]:
        parts.append("记录链改用密钥加封")
    if done["waiting"]:
        parts.append(f"加封了无密钥时写下的 {done['waiting']} 条记录")
    if done["facts"]:
        names = "、".join(missing[:50]) + ("等" if len(missing) > 50 else "")
        parts.append(f"为 {done['facts']} 个案件和账号加上封记（{names}）")
    if done["attachments"]:
        parts.append(f"{done['attachments']} 个附件改为与案件和附件编号绑定的加封")
    return "重新加封：" + "；".join(parts)


