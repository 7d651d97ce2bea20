"""Engine and sessions: URL handling, SQLite pragmas, Alembic upgrade on open."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import sessionmaker

if TYPE_CHECKING:
    from app.core.errors import FieldError
    from app.staff.identity import Identity

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest Alembic revision; a database already there is opened without loading Alembic
# (start-up time). tests/app/storage/test_db.py checks this against the migrations folder.
SCHEMA_HEAD = "0021"


def data_folder() -> Path:
    """The user's private data folder (database, logs); $LIAISON_DATA_DIR moves it (tests, portable installs)."""
    from platformdirs import user_data_dir

    from app.core.files import private_dir

    return private_dir(Path(os.environ.get("LIAISON_DATA_DIR") or user_data_dir("liaison-desk", appauthor=False)))


def default_url() -> str:
    """The embedded default: a SQLite file in the user's data folder."""
    return f"sqlite:///{data_folder() / 'liaison.db'}"


def demo_url() -> str:
    """The demo database (`liaison demo`, the window's 演示模式): never the live one."""
    return f"sqlite:///{data_folder() / 'liaison-demo.db'}"


def resolve_url(url: str | None) -> str:
    """--db beats $LIAISON_DB beats the default; a bare file path means SQLite."""
    url = url or os.environ.get("LIAISON_DB") or default_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    return url


def _sqlite_setup(engine: Engine) -> None:
    from app.cases.search import spaced
    from app.storage import floors  # noqa: F401  (attachments numbered max + 1 here: kept above a restore's floor)

    # The one SQLite-specific place: pragmas, and BEGIN IMMEDIATE for writers so that two
    # processes numbering cases queue on the lock instead of failing to upgrade a read lock.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA secure_delete=ON")  # overwritten personal data leaves no old bytes behind
        cur.close()
        # Used by the full-text triggers (migration 0007): one token per character for 1–2 character terms.
        dbapi_conn.create_function("liaison_chars", 1, spaced, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _seal(session) -> None:
    from app.staff import audit

    audit.seal(session)


def _seal_facts(session, _context) -> None:
    from app.staff import facts

    facts.seal_changed(session)


def _anchor(session) -> None:
    """After a commit that sealed links, this computer's record of the chain's head moves there."""
    head = session.info.pop("sealed_head", None)
    key = getattr(session.get_bind().dialect, "liaison_key", None)
    if head is not None and key is not None:
        from app.staff import anchor

        anchor.advance(key, *head)


def _private_sqlite_file(path: Path) -> None:
    """The database file (and so its -wal/-shm, which SQLite creates with the same mode) is 0600."""
    import contextlib

    from app.core.files import private_dir, private_file

    if not path.parent.exists():
        private_dir(path.parent)
    if not path.exists():
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists():
            private_file(name)


class Store:
    """One database: read sessions for queries, write sessions that take the write lock first."""

    def __init__(self, url: str | None = None, migrate: bool = True):
        from app.storage import blind_index  # noqa: F401  (registers the index listener on every session)

        self.url: URL = make_url(resolve_url(url))
        if self.url.get_backend_name() == "sqlite" and self.url.database:
            _private_sqlite_file(Path(self.url.database))
        self.key_problem: FieldError | None = None  # set when this computer lacks the data key
        self.engine = create_engine(self.url, pool_pre_ping=self.url.get_backend_name() != "sqlite")
        if self.is_sqlite:
            _sqlite_setup(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(immediate=True), expire_on_commit=False)
        # Rows of the audit trail and case history get their chain hashes as the write commits.
        event.listen(self._write, "before_commit", _seal)
        # A case's state and amounts, an account's role: sealed by the write that changes them (app/staff/facts.py).
        event.listen(self._write, "after_flush", _seal_facts)
        # The chain's head is also kept outside the database (app/staff/anchor.py).
        event.listen(self._write, "after_commit", _anchor)
        # Who is acting (app/staff/identity.py): set at sign-in, carried into every session.
        self.identity: Identity | None = None  # the member signed in at this desk (app/staff/identity.py)
        self.locked = False  # the window is locked: nothing arrives from outside (phone uploads) meanwhile
        if migrate:
            self.upgrade()
            self.unlock()

    def unlock(self) -> None:
        """Attach this database's data key if this computer holds it; else remember why not."""
        from app.core.errors import FieldError
        from app.storage import crypto

        try:
            with self.engine.connect() as conn:
                has_key = crypto.record(conn) is not None
            if not has_key:  # a schema made without one (a cloned template): this desk makes it
                with self.engine.execution_options(immediate=True).begin() as conn:
                    self._migration_lock(conn)
                    crypto.provision(conn)
            crypto.unlock(self.engine)
            self.key_problem = None
        except FieldError as e:
            self.key_problem = e
            # not the key of the database this store had before (a restore brings another one): rows
            # written now wait for the right key instead of being sealed with the wrong one
            crypto.attach(self.engine, None)
        # A chain still marked unkeyed (migrated to 0012 on a computer without the key) is NOT re-sealed
        # here: a forger who re-chained it with plain SHA-256 and cleared the mark would have it sealed
        # with the real key. A supervisor does it once, recorded: `liaison audit --reseal`.

    def _migration_lock(self, conn) -> None:
        """PostgreSQL: one desk at a time migrates or creates the key; SQLite's BEGIN IMMEDIATE does that there."""
        if conn.dialect.name == "postgresql":
            from sqlalchemy import text

            conn.execute(text("SELECT pg_advisory_xact_lock(7210815)"))

    def require_key(self) -> None:
        if self.key_problem is not None:
            raise self.key_problem

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def schema_version(self) -> str | None:
        from sqlalchemy import inspect, text

        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def upgrade(self) -> None:
        """Create or upgrade the schema to the newest Alembic revision (idempotent)."""
        if self.schema_version() == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.execution_options(immediate=True).begin() as conn:
            # Several desks starting on an empty database: one migrates, the others wait, then
            # find the schema at head (Alembic re-reads the version inside this transaction).
            self._migration_lock(conn)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        self.optimize()

    def optimize(self) -> None:
        """Fresh planner statistics (after migrations and bulk loads), so the right index is picked."""
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn.exec_driver_sql("ANALYZE")
                conn.exec_driver_sql("PRAGMA optimize")
            else:
                conn.exec_driver_sql("ANALYZE")
            conn.commit()

    @contextmanager
    def read(self):
        with self._read() as session:
            session.info["identity"] = self.identity
            yield session

    @contextmanager
    def write(self):
        """A transaction that commits on success and leaves nothing behind on any error."""
        from app.staff import audit

        with self._write() as session, session.begin():
            session.info["identity"] = self.identity
            if self.is_sqlite:  # while a restore replaces the file, a write would be lost: refused
                from app.storage import maintenance

                maintenance.check(session)
            session.info["chain_floor"] = audit.floor(session)  # rows above it are this write's to seal
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


class Service:
    def __init__(self, store: Store):
        self.store = store
