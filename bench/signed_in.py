"""The desk a bench drives, signed in without a dialog: the account linked to this OS user (the one
`liaison demo` made), else a new first supervisor; the recovery key counts as shown, the point is named."""
from __future__ import annotations


def open_desk(db: str):
    from app.desk import Desk
    from app.storage.db import Store

    desk = Desk(Store(db))
    if desk.accounts.sign_in_os_user() is None and desk.accounts.bootstrap_os_user("基准测试") is None:
        desk.accounts.create_first_supervisor("bench", "基准测试", "bench-only-password")
    desk.keys.mark_shown()
    if not desk.settings.is_configured():  # no first-start dialog either
        desk.settings.put({"point.name": "演示商城消费维权联络点（演示）", "point.contact_name": "李晓（虚构）",
                           "point.contact_phone": "021-61671254", "point.council": "演示区消费者权益保护委员会"})
    return desk
