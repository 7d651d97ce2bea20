"""演示模式: the demo database acts as 演示员, a fictitious supervisor of the demo data only."""
import pytest
from sqlalchemy import select

from app.cases import demo
from app.desk import Desk
from app.staff.identity import Refused
from app.storage.models import StaffAccount
from tests.conftest import complaint


@pytest.fixture
def demo_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LIAISON_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_the_demo_desk_acts_as_the_demo_member_who_may_try_everything(demo_dir):
    desk = Desk.open_demo()
    try:
        who = desk.accounts.current
        assert (who.display, who.role) == (demo.DEMO_STAFF, "supervisor")
        case = desk.cases.add(complaint())  # registering was refused: nobody signed in
        assert case["owner"] == demo.DEMO_STAFF and not demo.has_real_cases(desk.store)
        desk.cases.show(case["case_no"])
        desk.settings.put({"fast_track.threshold": "800"})  # a rule: the demo member may
        assert desk.settings.all()["fast_track.threshold"] == "800.00"
    finally:
        desk.store.dispose()
    again = Desk.open_demo()  # a second opening finds its account, makes no other
    try:
        with again.store.read() as s:
            assert s.scalars(select(StaffAccount.login).where(StaffAccount.display == demo.DEMO_STAFF)).all() == ["demo"]
        assert again.accounts.current.display == demo.DEMO_STAFF
    finally:
        again.store.dispose()


def test_a_database_with_real_cases_is_never_a_demo_desk(desk, store):
    desk.cases.add(complaint())  # by 测试员: a real case
    with pytest.raises(Refused, match="有正式案件"):
        demo.sign_in_member(store)
    assert store.identity.display == "测试员"
    with store.read() as s:
        assert s.scalar(select(StaffAccount).where(StaffAccount.login == "demo")) is None
