"""Staff accounts as the desk uses them: sign in, lock and unlock, the first supervisor, managing staff."""
from __future__ import annotations

from app import accounts, audit
from app.identity import Identity, Refused, require
from app.services.base import Service


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

    def lock(self) -> None:
        """The window locked itself (idle or Ctrl+L); the member stays signed in behind the lock."""
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

    def list(self) -> list[dict]:
        with self.store.read() as s:
            require(s, "supervisor", "查看工作人员账号")
            return accounts.list_accounts(s)

    def names(self) -> list[str]:
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
