"""The point's settings (name, code, contact, council, deadline defaults), stored in the database."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.core.errors import FieldError
from app.storage.models import Setting


@dataclass(frozen=True)
class Key:
    label: str
    default: str = ""
    kind: str = "text"  # text | int | minutes | money | phone | code | folder


KEYS: dict[str, Key] = {
    "point.name": Key("联络点名称"),
    "point.code": Key("联络点代码（案件编号前缀，可空）", kind="code"),
    "point.contact_name": Key("维权联系人"),
    "point.contact_phone": Key("联络点电话", kind="phone"),
    "point.address": Key("联络点地址"),
    "point.council": Key("协助单位（消保委）"),
    "point.regulator": Key("属地市场监督管理局（印在商品质量安全承诺上）"),
    "deadline.follow_up_days": Key("回访期限（结果后日数）", "7", "int"),
    "deadline.due_soon_working_days": Key("临期提醒（工作日）", "2", "int"),
    "fast_track.threshold": Key("小额纠纷快速处理上限（元）", "500", "money"),
    "report.month_start_day": Key("月报起始日（1为自然月；如25表示上月25日至本月24日）", "1", "int"),
    "hot.threshold": Key("热点问题：30日内同类投诉达到的件数", "3", "int"),
    "merchant.reply_working_days": Key("经营者答复期限（告知经营者后工作日数）", "10", "int"),
    "staff.idle_lock_minutes": Key("无操作多少分钟后自动锁定工作台", "10", "minutes"),
    "privacy.retention_years": Key("个人信息保存年限（办结后）", "3", "int"),
    "backup.folder": Key("自动备份文件夹（空：数据文件夹下的 backups；可选U盘）"),
    "attachments.watch_folder": Key("扫描仪或相机文件夹（出现新文件时提示添加到打开的案件，可空）", kind="folder"),
}
MAX_LENGTH = 500  # a setting is a line of text, never a document

# What any member may change: the point's own particulars. Everything else is a rule of the desk
# (deadlines, thresholds, numbering, locking) and needs a supervisor; new keys are rules by default.
STAFF_KEYS = frozenset({"point.name", "point.contact_name", "point.contact_phone", "point.address",
                        "point.council", "attachments.watch_folder"})


def is_rule(key: str) -> bool:
    return key not in STAFF_KEYS

FIRST_RUN_KEYS = ("point.name", "point.code", "point.contact_name", "point.contact_phone", "point.address",
                  "point.council", "point.regulator")


def all_settings(session: Session) -> dict[str, str]:
    stored = {s.key: s.value for s in session.scalars(select(Setting))}
    return {k: stored.get(k, spec.default) for k, spec in KEYS.items()}


def get(session: Session, key: str) -> str:
    if key not in KEYS:
        raise FieldError(key, f"没有名为“{key}”的设置项，可用：{'、'.join(KEYS)}")
    value = session.execute(_VALUE, {"key": key}).scalar()  # a column, not an ORM object: 4x faster
    return KEYS[key].default if value is None else value


_VALUE = select(Setting.value).where(Setting.key == bindparam("key"))


def normalize(key: str, value: str) -> str:
    """Check one value and return it as stored; the message names the setting."""
    from app.core import validation

    if key not in KEYS:
        raise FieldError(key, f"没有名为“{key}”的设置项，可用：{'、'.join(KEYS)}")
    spec = KEYS[key]
    if not isinstance(value, str):
        raise FieldError(key, f"{spec.label}应为文字")
    value = value.strip()
    if len(value) > MAX_LENGTH or re.search("[\x00\ud800-\udfff]", value):
        raise FieldError(key, f"{spec.label}过长或含有无效字符（最多 {MAX_LENGTH} 字）")
    if spec.kind == "int":
        if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) <= 0:
            raise FieldError(key, f"{spec.label}应为正整数")
    elif spec.kind == "minutes":
        try:
            minutes = float(value)
        except ValueError:
            minutes = 0
        if not (0 < minutes <= 24 * 60) or len(value) > 8:
            raise FieldError(key, f"{spec.label}应为大于0的分钟数（最多1440）")
    elif spec.kind == "money":
        value = str(validation.money(value, key, spec.label))
    elif spec.kind == "phone" and value:
        validation.phone(value, key, spec.label)
    elif spec.kind == "folder" and value and not Path(value).expanduser().is_dir():
        raise FieldError(key, f"{spec.label}：文件夹“{value}”不存在，请选择已有的文件夹")
    elif spec.kind == "code" and value and not (value.isascii() and value.isalnum() and len(value) <= 12):
        raise FieldError(key, f"{spec.label}只能由字母和数字组成，最多12位")
    return value


def put(session: Session, key: str, value: str) -> str:
    value = normalize(key, value)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    return value


def is_configured(session: Session) -> bool:
    """The first-start dialog has been filled in (at least the point's name)."""
    return bool(get(session, "point.name"))


def idle_lock_minutes(session: Session) -> float:
    return float(get(session, "staff.idle_lock_minutes"))


def fast_track_threshold(session: Session) -> Decimal:
    return Decimal(get(session, "fast_track.threshold"))
