"""The recovery key on paper: its 13 groups in large type and as a QR code, to keep in the safe."""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.printing import layout


def render(recovery_text: str, key_id: str, point: str, printed: dt.date | None = None) -> bytes:
    from app.core import clock

    printed = printed or clock.today()
    groups = recovery_text.split("-")
    lines = ["　".join(groups[i:i + 4]) for i in range(0, len(groups), 4)]
    story = [layout.para(point or "消费维权联络点", "issuer"), layout.para("数据恢复密钥", "title"),
             layout.para("有了这把密钥，才能在另一台电脑、第二个工作台或恢复备份后读取消费者个人信息。"
                         "请打印后放在保险柜等安全处，不要与备份放在一起，不要拍照或发送给他人。", "note"),
             Spacer(1, 6 * mm)]
    story += [layout.para(line, "poster") for line in lines]
    story += [Spacer(1, 6 * mm), layout.qr_drawing(recovery_text), Spacer(1, 4 * mm),
              layout.para(f"数据库密钥编号：{key_id}", "note"),
              layout.para("恢复时：窗口中选择“输入恢复密钥”，或命令 liaison key import 密钥文件。", "note")]
    out = io.BytesIO()
    layout.build(story, title="数据恢复密钥", point_name=point, case_no="", printed=printed, out=out)
    return out.getvalue()
