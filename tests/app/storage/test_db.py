from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from app.storage import db


def test_schema_head_constant_matches_migrations():
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == db.SCHEMA_HEAD


def test_new_database_is_migrated_and_reopening_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    s = db.Store(url)
    assert s.schema_version() == db.SCHEMA_HEAD
    tables = set(inspect(s.engine).get_table_names())
    assert {"cases", "events", "consumers", "merchants", "settings", "case_counters", "audit_log"} <= tables
    s.dispose()
    again = db.Store(url)
    assert again.schema_version() == db.SCHEMA_HEAD
    again.dispose()


@pytest.mark.sqlite_only
def test_sqlite_pragmas(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_default_database_is_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("LIAISON_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    url = db.resolve_url(None)
    assert url.endswith("liaison.db")
    assert Path(url.removeprefix("sqlite:///")).parent.is_dir()
    assert str(tmp_path) in url


def test_env_and_plain_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("LIAISON_DB", str(tmp_path / "env.db"))
    assert db.resolve_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert db.resolve_url("postgresql://u@h/db") == "postgresql://u@h/db"
