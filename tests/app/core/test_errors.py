"""An error names its values once; the command line writes them as codes, the window as labels."""
import pytest

from app.core import codes, validation
from app.core.errors import Choices, Code, FieldError


def test_a_choice_error_reads_codes_on_the_command_line_and_labels_in_the_window():
    with pytest.raises(FieldError) as caught:
        validation.choice("wrong", codes.SATISFACTION, "satisfaction", "满意度")
    e = caught.value
    assert str(e).startswith("【satisfaction】满意度“wrong”不在可选范围内") and "satisfied（满意）" in str(e)
    window = e.text(window=True)
    assert "满意、" in window and "satisfied" not in window and "“wrong”" in window


def test_values_are_inserted_not_parsed():
    e = FieldError("state", "没有“{state}”这一状态：{note}", state=Code(codes.STATE, "closed"), note="{x}")
    assert e.message == "没有“closed”这一状态：{x}" and e.text(window=True) == "没有“办结”这一状态：{x}"
    assert Choices({"a": "甲"}).shown(window=False) == "a（甲）"
    assert FieldError("f", "原样 {不是占位}").message == "原样 {不是占位}"  # no values: the text as written
