"""Engine and sessions: URL handling, SQLite pragmas, Alembic upgrade on open."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest Alembic revision; a database already there is opened without loading Alembic
# (start-up time). tests/test_db.py checks this against the migrations folder.
SCHEMA_HEAD = "0007"


def default_url() -> str:
    """The embedded default: a SQLite file in the user's data folder."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("liaison-desk", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'liaison.db'}"


def resolve_url(url: str | None) -> str:
    """--db beats $LIAISON_DB beats the default; a bare file path means SQLite."""
    url = url or os.environ.get("LIAISON_DB") or default_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    return url


def demo_url(live_url: str) -> str:
    """Where demo data goes by default: demo.db in the live database's folder (SQLite only)."""
    url = make_url(live_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise ValueError("PostgreSQL 上请用 --db 指定一个单独的演示数据库")
    return f"sqlite:///{Path(url.database).with_name('demo.db')}"


def _sqlite_setup(engine: Engine) -> None:
    from app.search import spaced

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
        cur.close()
        # Used by the full-text triggers (migration 0007): one token per character for 1–2 character terms.
        dbapi_conn.create_function("liaison_chars", 1, spaced, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """One database: read sessions for queries, write sessions that take the write lock first."""

    def __init__(self, url: str | None = None, migrate: bool = True):
        self.url: URL = make_url(resolve_url(url))
        if self.url.get_backend_name() == "sqlite" and self.url.database:
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(self.url, pool_pre_ping=self.url.get_backend_name() != "sqlite")
        if self.is_sqlite:
            _sqlite_setup(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(immediate=True), expire_on_commit=False)
        if migrate:
            self.upgrade()

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
            yield session

    @contextmanager
    def write(self):
        """A transaction that commits on success and leaves nothing behind on any error."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


