"""Who is acting: the signed-in staff member, the one source of every event's and audit entry's actor.

Sign-in (app/staff/accounts.py) puts an `Identity` on the `Store` (`store.identity`); every session the store
opens carries it as `session.info["identity"]`, so domain functions find the actor from their session
and nobody passes names around. The window signs in through its dialog, the `liaison` command through
`--staff` / LIAISON_STAFF or the account linked to the operating-system user.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core import codes
from app.core.errors import FieldError

ROLES = codes.ROLE


@dataclass(frozen=True)
class Identity:
    login: str
    display: str  # what events, the audit trail and papers carry (首问责任人, 经办人)
    role: str  # staff | supervisor

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"

    def describe(self) -> str:
        return f"{self.display}（{ROLES.get(self.role, self.role)}）"


# What only a supervisor may do, as the window names it: each of these buttons and menu items is disabled
# for a staff member, with "只有负责人可以…" (ui/windows/main_window.py, case_view.py). The services refuse
# them all the same (require(..., "supervisor", ...)), whoever calls.
SUPERVISOR_ONLY: dict[str, str] = {
    "reopen": "重新打开已办结的案件", "purge": "清除过期个人信息", "restore": "恢复备份",
    "key_export": "导出恢复密钥", "staff": "管理工作人员账号", "audit": "查看审计日志",
    "holidays": "录入节假日安排", "rules": "修改规则设置", "phrases": "修改常用语",
}


def only_supervisor(action: str) -> str:
    """The tooltip of a supervisor's task shown to a staff member."""
    return f"只有负责人可以{SUPERVISOR_ONLY[action]}"


class Refused(FieldError):
    """Not signed in, or the role does not allow the action; nothing was changed."""

    def __init__(self, message: str):
        super().__init__("staff", message)


def current(session: Session) -> Identity:
    """The member acting in this session; refused when nobody signed in."""
    who = session.info.get("identity")
    if who is None:
        raise Refused("没有登录的工作人员：请先登录（命令行可用 --staff 姓名 或环境变量 LIAISON_STAFF）")
    return who


def actor(session: Session) -> str:
    """The display name to record as actor (never the operating-system login)."""
    return current(session).display


def require(who: Identity | Session | None, role: str, what: str) -> Identity:
    """Refuse (exit 1 in the CLI, a message in the window) unless `who` holds `role`.

    Other modules call this before a guarded action, e.g.
    `require(session, "supervisor", what="重新打开案件")`.
    """
    if isinstance(who, Session):
        who = current(who)
    if who is None:
        raise Refused(f"{what}须先登录")
    if role == "supervisor" and not who.is_supervisor:
        raise Refused(f"只有负责人可以{what}；当前登录：{who.describe()}")
    return who
