"""常用语: the starter set comes with the migration; anyone lists, a supervisor edits, every edit audited."""
import pytest
from sqlalchemy import select

from app.core.errors import FieldError, InputError
from app.desk import Desk
from app.staff import accounts
from app.staff.identity import Refused
from app.storage.models import AuditEntry
from tests.conftest import sign_in_tester


def _trail(desk: Desk) -> list[tuple[str, str, str]]:
    with desk.store.read() as s:
        return [(e.actor, e.action, e.detail) for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "phrases")
                                                                  .order_by(AuditEntry.id))]


def test_the_starter_set_is_there_after_the_migration(desk):
    titles = {p.title: p for p in desk.phrases.list()}
    assert {"七日", "三包", "预付卡", "假客服", "食品标签"} <= set(titles)
    assert "第二十五条" in titles["七日"].body and "实体店" in titles["七日"].body
    assert "第二十四条" in titles["三包"].body
    assert "第五十三条" in titles["预付卡"].body
    assert {p.applies_to for p in titles.values()} <= set(desk.phrases.FOR)
    # each text box is offered its own phrases and the general ones, never another box's
    follow = desk.phrases.list("follow_up")
    assert follow and {p.applies_to for p in follow} <= {"follow_up", "all"}
    assert "七日" not in {p.title for p in follow}
    assert "七日" in {p.title for p in desk.phrases.list("answer")}


def test_a_supervisor_adds_edits_and_removes_each_audited(desk):
    p = desk.phrases.add(" 保修 ", "保修期内出现性能故障的，可以要求经营者修理。", "answer")
    assert (p.title, p.applies_to) == ("保修", "answer")
    assert p in desk.phrases.list("answer") and p not in desk.phrases.list("mediation")
    edited = desk.phrases.edit(p.id, "保修期", "保修期内出现性能故障的，可以要求修理。", "all")
    assert edited in desk.phrases.list("mediation")
    desk.phrases.remove(p.id)
    assert p.id not in {x.id for x in desk.phrases.list()}
    trail = _trail(desk)
    assert [a for a, _x, _d in trail] == ["测试员"] * 3
    assert "新增常用语“保修”（咨询答复）" in trail[0][2]
    assert "简称“保修” → “保修期”" in trail[1][2] and "适用于 咨询答复 → 通用" in trail[1][2]
    assert "删除常用语“保修期”" in trail[2][2]


def test_staff_are_refused_and_nothing_changes(desk):
    with desk.store.write() as s:
        accounts.create(s, "xiaozhang", "小张", "staff", "Zhang-2026-pw")
    desk.accounts.sign_in("xiaozhang", "Zhang-2026-pw")
    before = desk.phrases.list()
    assert before  # staff read them: they insert them
    with pytest.raises(Refused, match="只有负责人可以修改常用语"):
        desk.phrases.add("测试", "内容", "all")
    with pytest.raises(Refused):
        desk.phrases.edit(before[0].id, "改", "改", "all")
    with pytest.raises(Refused):
        desk.phrases.remove(before[0].id)
    assert desk.phrases.list() == before
    assert _trail(desk) == []


def test_wrong_values_are_named_by_field(desk):
    with pytest.raises(InputError) as e:
        desk.phrases.add("", "", "nowhere")
    assert [x.field for x in e.value.errors] == ["phrase.title", "phrase.body", "phrase.for"]
    with pytest.raises(InputError, match="最多 12 个字"):
        desk.phrases.add("一二三四五六七八九十一二三", "x", "all")
    with pytest.raises(FieldError, match="已有简称为“七日”"):
        desk.phrases.add("七日", "另一条", "all")
    with pytest.raises(FieldError, match="没有编号为 99999"):
        desk.phrases.remove(99999)
    with pytest.raises(FieldError, match="适用于须为"):
        desk.phrases.list("nowhere")


def test_matching_by_title_first_then_text(desk):
    phrases = desk.phrases.list("answer")
    found = desk.phrases.matching(phrases, "七日")
    assert found[0].title == "七日"
    assert "三包" in [p.title for p in found]  # its text mentions 七日 too, after the title match
    assert [p.title for p in desk.phrases.matching(phrases, "诈骗")] == ["预付卡", "假客服"]
    assert [p.title for p in desk.phrases.matching(phrases, "12315 诈骗")] == ["假客服"]  # every word
    assert desk.phrases.matching(phrases, "") == phrases


def test_the_first_supervisor_of_a_new_database_finds_them(db_url):
    from app.storage.db import Store

    store = Store(db_url)
    try:
        sign_in_tester(store)
        assert len(Desk(store).phrases.list()) >= 5
    finally:
        store.dispose()
