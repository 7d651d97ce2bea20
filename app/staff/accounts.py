"""Staff accounts: login, display name, role, argon2id password, lock-out after wrong passwords."""
from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.errors import FieldError
from app.staff import audit, facts
from app.staff.identity import ROLES, Identity, Refused, current, require
from app.storage.models import StaffAccount

__all__ = ["Identity", "Refused", "require", "current", "ROLES"]

MAX_TRIES = 5
LOCK_MINUTES = 5
MIN_PASSWORD = 6
_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 low-memory profile


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the login is unknown, so a wrong name takes as long as a wrong password.
    Made on first use, not at import: hashing takes ~150 ms and the desk imports this while opening."""
    return _hasher.hash("not a password of anyone")


def os_user() -> str:
    """The operating-system account this process runs as, as the OS vouches for it: the real uid's name
    (POSIX) or the Windows account (GetUserNameW) — never LOGNAME/USER, which anyone may set
    (`LOGNAME=root liaison audit` acted as root's linked supervisor). Only used to find the account
    linked to it, never as an actor."""
    try:
        if os.name == "nt":
            return os.getlogin()
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except Exception:
        return ""


def identity_of(account: StaffAccount) -> Identity:
    return Identity(account.login, account.display, account.role)


# --- checking input ------------------------------------------------------------------------------------

def _login(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise FieldError("login", "请填写登录名")
    if len(value) > 50 or any(ch.isspace() for ch in value) or not value.isprintable():
        raise FieldError("login", "登录名不能含空格，最多50个字符")
    return value


def _display(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise FieldError("display", "请填写姓名（印在回执上的经办人、首问责任人）")
    if len(value) > 50 or not value.isprintable():
        raise FieldError("display", "姓名最多50个字符")
    return value


def _role(value: str) -> str:
    if value not in ROLES:
        raise FieldError("role", "角色须为 staff（工作人员）或 supervisor（负责人）")
    return value


def check_password(password: str, repeat: str | None = None) -> str:
    if password is None or len(password) < MIN_PASSWORD:
        raise FieldError("password", f"密码至少{MIN_PASSWORD}位")
    if len(password) > 200:
        raise FieldError("password", "密码最多200个字符")
    if repeat is not None and repeat != password:
        raise FieldError("password_repeat", "两次输入的密码不一致")
    return password


# --- reading -------------------------------------------------------------------------------------------

def find(session: Session, login: str) -> StaffAccount:
    account = session.scalar(select(StaffAccount).where(StaffAccount.login == (login or "").strip()))
    if account is None:
        raise FieldError("login", f"没有登录名为“{login}”的工作人员")
    return account


def find_for_os_user(session: Session, user: str | None = None) -> StaffAccount | None:
    user = os_user() if user is None else user
    if not user:
        return None
    return session.scalar(select(StaffAccount).where(StaffAccount.os_user == user))


def count(session: Session) -> int:
    return session.scalar(select(func.count(StaffAccount.id))) or 0


def needs_first_supervisor(session: Session) -> bool:
    """No one can sign in to the window yet: the first-start dialog creates the supervisor."""
    return not session.scalar(select(func.count(StaffAccount.id)).where(
        StaffAccount.password_hash.is_not(None), StaffAccount.disabled.is_(False),
        StaffAccount.role == "supervisor"))


def account_json(a: StaffAccount, now: dt.datetime | None = None) -> dict:
    now = now or clock.utcnow()
    locked_until = a.locked_until if a.locked_until is not None and a.locked_until > now else None
    return {"login": a.login, "display": a.display, "role": a.role, "role_label": ROLES[a.role],
            "disabled": a.disabled, "os_user": a.os_user or "", "has_password": a.password_hash is not None,
            "locked_until": locked_until.isoformat() if locked_until else None}


def list_accounts(session: Session) -> list[dict]:
    now = clock.utcnow()
    return [account_json(a, now) for a in session.scalars(select(StaffAccount).order_by(StaffAccount.id))]


# --- changing ------------------------------------------------------------------------------------------

def create(session: Session, login: str, display: str, role: str, password: str | None = None,
           os_user_name: str | None = None) -> StaffAccount:
    """A new account, unchecked as to who asks (callers: `add`, and the first supervisor)."""
    login, display, role = _login(login), _display(display), _role(role)
    if session.scalar(select(StaffAccount).where(StaffAccount.login == login)):
        raise FieldError("login", f"登录名“{login}”已有人使用")
    if session.scalar(select(StaffAccount).where(StaffAccount.display == display)):
        raise FieldError("display", f"姓名“{display}”已有账号；同名时请加以区分（如：李明（二））")
    if os_user_name and session.scalar(select(StaffAccount).where(StaffAccount.os_user == os_user_name)):
        raise FieldError("os_user", f"系统用户“{os_user_name}”已关联其他账号")
    account = StaffAccount(login=login, display=display, role=role,
                           password_hash=_hasher.hash(check_password(password)) if password is not None else None,
                           disabled=False, os_user=os_user_name or None, failed_tries=0,
                           created_at=clock.utcnow())
    session.add(account)
    session.flush()
    return account


def add(session: Session, login: str, display: str, role: str, password: str | None = None,
        os_user_name: str | None = None) -> StaffAccount:
    require(session, "supervisor", "管理工作人员账号")
    account = create(session, login, display, role, password, os_user_name)
    audit.record(session, "staff", detail=f"新建账号 {account.login}（{account.display}，{ROLES[account.role]}）")
    return account


def first_supervisor(session: Session, login: str, display: str, password: str | None,
                     os_user_name: str | None = None) -> Identity:
    """The first start: the point's first supervisor, who is then the one signed in."""
    if password is None and count(session):
        raise Refused("已有工作人员账号，请登录")
    if password is not None and not needs_first_supervisor(session):
        raise Refused("已有负责人账号，请由负责人在“人员管理”中新建账号")
    account = create(session, login, display, "supervisor", password, os_user_name)
    who = identity_of(account)
    session.info["identity"] = who
    audit.record(session, "staff", detail=f"首次启动：建立负责人账号 {account.login}（{account.display}）")
    return who


def set_password(session: Session, login: str, password: str) -> None:
    """Anyone may change their own password; a supervisor may set anyone's."""
    me = current(session)
    account = find(session, login)
    if account.login != me.login:
        require(me, "supervisor", "修改他人密码")
    account.password_hash = _hasher.hash(check_password(password))
    account.failed_tries = 0
    account.locked_until = None
    audit.record(session, "staff", detail=f"设置账号 {account.login}（{account.display}）的密码")


def set_disabled(session: Session, login: str, disabled: bool = True) -> None:
    me = require(session, "supervisor", "停用或启用工作人员账号")
    account = find(session, login)
    if disabled and account.login == me.login:
        raise Refused("不能停用自己的账号")
    if disabled and account.role == "supervisor" and not account.disabled:
        others = session.scalar(select(func.count(StaffAccount.id)).where(
            StaffAccount.role == "supervisor", StaffAccount.disabled.is_(False), StaffAccount.id != account.id))
        if not others:
            raise Refused("这是最后一位负责人，不能停用")
    account.disabled = disabled
    audit.record(session, "staff", detail=("停用" if disabled else "启用") + f"账号 {account.login}（{account.display}）")


def set_role(session: Session, login: str, role: str) -> None:
    me = require(session, "supervisor", "修改工作人员角色")
    account = find(session, login)
    role = _role(role)
    if account.login == me.login and role != "supervisor":
        raise Refused("不能取消自己的负责人角色")
    account.role = role
    audit.record(session, "staff", detail=f"账号 {account.login}（{account.display}）改为{ROLES[role]}")


# --- signing in ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignIn:
    """The outcome of one attempt; the caller commits (so failures count) and then refuses."""

    identity: Identity | None
    message: str = ""


def authenticate(session: Session, login: str, password: str, purpose: str = "登录") -> SignIn:
    """Check a password; counts failures and locks the account for LOCK_MINUTES after MAX_TRIES."""
    now = clock.utcnow()
    login = (login or "").strip()
    # The account's row is locked for the attempt, so parallel guesses are counted one after another
    # (on PostgreSQL 40 at once all read failed_tries 0 and the account never locked); SQLite's write
    # transaction is exclusive already.
    account = (session.scalar(select(StaffAccount).where(StaffAccount.login == login).with_for_update())
               if login else None)
    if account is None:
        _verify(_dummy_hash(), password or "")
        audit.record_as(session, f"（未知账号 {login[:50]}）", "sign_in_failed", f"{purpose}：没有这个登录名")
        return SignIn(None, "登录名或密码不正确")
    if account.disabled:
        audit.record_as(session, account.display, "sign_in_failed", f"{purpose}：账号已停用")
        return SignIn(None, "该账号已停用，请联系负责人")
    if not facts.session_holds(session, account):
        audit.record_as(session, account.display, "sign_in_failed", f"{purpose}：账号记录被直接改动过")
        return SignIn(None, TAMPERED)
    if account.locked_until is not None and account.locked_until > now:
        until = _local(account.locked_until)
        audit.record_as(session, account.display, "sign_in_failed", f"{purpose}：账号锁定中")
        return SignIn(None, f"密码连续输错{MAX_TRIES}次，账号已锁定，请于 {until} 后再试")
    if account.password_hash is None:
        audit.record_as(session, account.display, "sign_in_failed", f"{purpose}：账号尚未设置密码")
        return SignIn(None, "该账号尚未设置密码，请负责人在“人员管理”中设置")
    if not _verify(account.password_hash, password or ""):
        account.failed_tries = (account.failed_tries or 0) + 1
        if account.failed_tries >= MAX_TRIES:
            account.failed_tries = 0
            account.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            audit.record_as(session, account.display, "sign_in_failed", f"{purpose}：密码错误")
            audit.record_as(session, account.display, "lockout",
                                   f"密码连续输错{MAX_TRIES}次，锁定{LOCK_MINUTES}分钟")
            return SignIn(None, f"密码连续输错{MAX_TRIES}次，账号已锁定{LOCK_MINUTES}分钟"
                                f"（至 {_local(account.locked_until)}）")
        left = MAX_TRIES - account.failed_tries
        audit.record_as(session, account.display, "sign_in_failed", f"{purpose}：密码错误")
        return SignIn(None, f"登录名或密码不正确（再错 {left} 次账号将锁定{LOCK_MINUTES}分钟）")
    account.failed_tries = 0
    account.locked_until = None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    if purpose == "登录":  # an unlock is recorded as such by the caller
        audit.record_as(session, account.display, "sign_in", purpose)
    return SignIn(identity_of(account))


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _local(moment: dt.datetime) -> str:
    """The minute a lock-out ends, rounded up: at 00:31:20 "请于 00:31 后再试" was shown while 00:31 had come."""
    from app.core.clock import LOCAL_TZ

    local = moment.astimezone(LOCAL_TZ)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return local.strftime("%H:%M")


def os_identity(session: Session, user: str | None = None) -> Identity | None:
    """The account linked to the operating-system user, if there is one, enabled and not locked out (a
    locked account does not act through its OS link either)."""
    account = find_for_os_user(session, user)
    if account is None or account.disabled:
        return None
    if account.locked_until is not None and account.locked_until > clock.utcnow():
        return None
    if not facts.session_holds(session, account):
        raise Refused(TAMPERED)
    return identity_of(account)


# An account whose role, password or links were changed in the database behind the program's back.
TAMPERED = ("该账号的记录（角色、密码或关联的系统用户）与最后一次正当修改时不符，已被直接改动数据库，"
            "不能使用。请负责人核查审计记录（liaison audit --verify）")
