import io
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.desk import Desk  # noqa: E402
from app.storage.db import Store  # noqa: E402
from tests import pg_server as pg  # noqa: E402

PG_AVAILABLE = pg.binaries() is not None and pg.driver_installed()


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: the test is about SQLite itself (files, pragmas)")
    if os.environ.get("CI") and not PG_AVAILABLE:
        raise pytest.UsageError("CI: PostgreSQL (initdb/pg_ctl and psycopg) must be installed by .ci/setup")


def pytest_collection_modifyitems(config, items):
    """A test marked sqlite_only runs once, on SQLite; every other database test runs on both."""
    keep, drop = [], []
    for item in items:
        backend = getattr(item, "callspec", None) and item.callspec.params.get("backend")
        (drop if backend == "postgresql" and item.get_closest_marker("sqlite_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def pg_server():
    if not PG_AVAILABLE:
        pytest.skip("PostgreSQL 未安装（initdb/pg_ctl 或 psycopg 缺失）")
    server = pg.PgServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def db_url(backend, tmp_path, request):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'desk.db'}"
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture
def store(db_url):
    """A migrated database with one supervisor, 测试员, signed in (and linked to the OS user, so the
    `liaison` command on the same database acts as the same member)."""
    s = Store(db_url)
    sign_in_tester(s)
    yield s
    s.dispose()


def sign_in_tester(store: Store, display: str = "测试员"):
    from app.staff import accounts

    with store.write() as session:
        store.identity = accounts.first_supervisor(session, "tester", display, None, accounts.os_user())
    return store.identity


@pytest.fixture
def desk(store):
    d = Desk(store)
    d.settings.put({"point.name": "测试商城消费维权联络点", "point.contact_name": "李晓",
                    "point.contact_phone": "021-61671254", "point.council": "测试区消费者权益保护委员会"})
    return d


def complaint(**overrides) -> dict:
    """A valid, plainly fictitious complaint in the interchange format."""
    data = {
        "kind": "complaint",
        "channel": "visit",
        "consumer": {"name": "王某兰", "phone": "13900001234", "group": "none", "consent_to_share": False},
        "merchant": {"name": "测试电器店（虚构）", "shop_no": "B1-023"},
        "category": "appliances",
        "nature": "quality",
        "product": "电热水壶",
        "brand": "测试牌",
        "purchase_date": "2026-11-01",
        "purchase_channel": "store",
        "amount_paid": "299.00",
        "amount_claimed": "299.00",
        "facts": "购买三天后底座漏电，跳闸两次，经营者拒绝退货。",
        "demands": ["refund"],
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


@pytest.fixture
def cli(db_url, monkeypatch, capsys):
    monkeypatch.setenv("LIAISON_DB", db_url)

    def run(*args, stdin: str | None = None):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        from app.cli import main

        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def make_complaint():
    return complaint


@pytest.fixture(autouse=True)
def _tips_dir(tmp_path, monkeypatch):
    """Templates staff save go to a temporary folder, never the real user data folder."""
    monkeypatch.setenv("LIAISON_TIPS_DIR", str(tmp_path / "tips"))


@pytest.fixture(autouse=True)
def _key_dir(tmp_path, monkeypatch):
    """Data and signing keys go to a temporary key folder, never the real keyring or config folder."""
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("LIAISON_KEYRING", "off")
