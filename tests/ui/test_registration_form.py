"""打印 ▸ 投诉登记表 in the case window: previewed, saved to a file (no real printer), counted in the register."""
from tests.conftest import complaint
from tests.pdf_checks import plain
from tests.ui.typing import in_background
from ui.widgets import pdf_preview
from ui.windows import case_view


def _save_when_shown(monkeypatch, path, shown: list):
    def exec_(self):  # the preview's own 另存为 with the path a clerk would choose
        shown.append(self.windowTitle())
        self.save_to(str(path))
        return 0

    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", exec_)


def test_the_form_prints_from_the_case_windows_menu(qtbot, desk, tmp_path, monkeypatch):
    no = desk.cases.add(complaint(consumer={"consent_to_share": True}))["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    menu = [a.text() for a in view.print_button.menu().actions()]
    assert menu[:3] == ["登记回执", "投诉登记表", "投诉登记表（外送副本，个人信息遮盖）"]
    shown: list = []
    out = tmp_path / "投诉登记表.pdf"
    _save_when_shown(monkeypatch, out, shown)
    view.print_actions["registration"].trigger()
    in_background(qtbot)
    assert shown == [f"投诉登记表　{no}"]
    text = plain(out.read_bytes())
    assert "投诉登记表" in text and "王某兰" in text and "13900001234" in text
    assert "消费者签名：" in text and "经办人签名：" in text and "本人同意将个人信息提供给测试区消费者权益保护委员会" in text
    [entry] = [e for e in desk.documents.register() if e["kind"] == "registration"]
    assert entry["case_no"] == no and entry["prints"] == 1 and entry["last_to"] == str(out.resolve())
    assert entry["number"].replace(" ", "") in text

    masked = tmp_path / "外送副本.pdf"
    _save_when_shown(monkeypatch, masked, shown)
    view.print_actions["registration:masked"].trigger()
    in_background(qtbot)
    text = plain(masked.read_bytes())
    assert "王*兰" in text and "王某兰" not in text and "13900001234" not in text
    assert "（补打）" in text  # the same document, printed before: its number kept
    printed = [e["detail"] for e in desk.audit.entries() if e["action"] == "print"]
    assert "投诉登记表（含完整个人信息）" in printed[-2] and "投诉登记表（外送副本，个人信息已遮盖）" in printed[-1]


def test_a_consultation_offers_its_own_form(qtbot, desk):
    no = desk.cases.add({"kind": "consultation", "consumer": {"name": "张某", "phone": "13900005678"},
                         "facts": "预付卡商家跑路怎么办？"})["case_no"]
    view = case_view.CaseView(desk, no)
    qtbot.addWidget(view)
    assert view.print_actions["registration"].text() == "咨询登记表"
