import csv

from app.merchants import scam_watch
from tests.conftest import complaint

FAKE = "400-1865-909"  # the shape of seed 000's number; not a number anyone is told to call
FAKE_DIGITS = "4001865909"


def test_numbers_found_in_facts():
    text = f"消费者拨打网上搜到的“官方售后”{FAKE}，又接到13900001234 和 021-61671254 的电话，编号 20261120-0001"
    assert scam_watch.numbers_in(text) == {FAKE_DIGITS, "13900001234", "02161671254"}


def test_same_number_with_different_brands_warns(desk):
    facts = f"网上搜到的指纹锁售后电话 {FAKE}，上门收费后锁仍坏"
    desk.cases.add(complaint(brand="甲牌", facts=facts))
    assert desk.scams.check(facts, brand="甲牌") == []  # one brand so far
    warned = desk.scams.check(f"热水器售后 {FAKE}", brand="乙牌")
    assert len(warned) == 1 and "甲牌" in warned[0]
    no = desk.cases.add(complaint(brand="乙牌", facts=f"热水器售后 {FAKE}"))["case_no"]
    shown = desk.cases.show(no).as_json()["scam_warnings"]
    assert shown and "甲牌" in shown[0]


def test_watch_list_and_export(desk, tmp_path):
    assert desk.scams.watch(FAKE, "冒充指纹锁品牌售后") == FAKE_DIGITS
    assert any("监控名单" in w for w in desk.scams.check(f"打了 {FAKE}"))
    desk.cases.add(complaint(facts=f"拨打 {FAKE} 后被收费"))
    rows = desk.scams.list()
    assert rows[0]["number"] == FAKE_DIGITS and rows[0]["cases"] == 1
    out = tmp_path / "w.csv"
    assert desk.scams.export(out) == 1
    with out.open(encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh))[1][:2] == [FAKE_DIGITS, "冒充指纹锁品牌售后"]
    desk.scams.unwatch(FAKE_DIGITS)
    assert desk.scams.list() == []


def test_migration_backfills_numbers_of_existing_cases(tmp_path):
    """A database made before the scam watch gets the numbers of its old cases on upgrade."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from app.storage.db import MIGRATIONS, Store

    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "0002")
    store = Store(url, migrate=False)
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO consumers (id, name, phone, id_number, address, \"group\", consent_to_share) "
                          "VALUES (1, '张某', '13900001234', '', '', 'none', 0)"))
        conn.execute(text(
            "INSERT INTO cases (id, case_no, kind, received_at, received_day, channel, consumer_id, category, nature,"
            " product, brand, purchase_channel, amount_paid, amount_claimed, facts, demands, state, rule_set,"
            " amount_recovered, advance_paid, fast_track, priority, owner, updated_at) VALUES (1, '20261101-0001',"
            " 'complaint', '2026-11-01 02:00:00', '2026-11-01', 'visit', 1, 'other', 'other', '', '', '', 0, 0,"
            f" '售后电话 {FAKE}', 'refund', 'registered', 'samr121', 0, 0, 0, 0, 'x', '2026-11-01 02:00:00')"))
    store.upgrade()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT number FROM case_phones")).scalars().all() == [FAKE_DIGITS]
    store.dispose()
