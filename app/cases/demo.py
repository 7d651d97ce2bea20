"""Realistic, plainly fictitious demo data (names 某, phones 1990000xxxx, merchants marked 演示)."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from app.calendar.deadlines import rule_set_for
from app.calendar.holiday_arrangements import load_calendar
from app.cases import lifecycle
from app.cases.intake import LOCAL_TZ
from app.core import clock, codes
from app.core.progress import Progress
from app.point import settings
from app.staff import facts
from app.staff.identity import Identity
from app.storage import bulk
from app.storage.db import Store
from app.storage.models import Case, CaseCounter, Consumer, Event, Merchant, StaffAccount

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "兰华明芳军敏静丽强磊洋艳勇杰娟涛超霞平刚"
PRODUCTS = [
    ("appliances", "电热水壶", "quality"), ("appliances", "空调", "after_sales"), ("appliances", "手机", "quality"),
    ("clothing", "羽绒服", "quality"), ("clothing", "运动鞋", "counterfeit"), ("food", "月饼礼盒", "safety"),
    ("food", "进口奶粉", "false_advertising"), ("daily_goods", "智能门锁", "after_sales"),
    ("jewelry", "黄金手镯", "metrology"), ("life_services", "美容护理卡", "contract"),
    ("education", "少儿英语课程", "contract"), ("renovation_property", "厨房翻新", "quality"),
    ("telecom", "宽带套餐", "price"), ("internet", "网购平台订单", "personal_rights"),
    ("tourism", "周边游套餐", "contract"), ("vehicles", "电动自行车", "safety"),
]
SHOPS = ["电器城", "服饰店", "食品超市", "家居馆", "珠宝行", "美容院", "培训中心", "通讯营业厅", "旅行社", "车行"]
FACTS = [
    "消费者称购买后不久即出现故障，与经营者协商退换未果。",
    "消费者称经营者宣传与实际不符，要求退款。",
    "消费者称预付费用后经营者未按约定提供服务。",
    "消费者称商品称重不足，要求补足差额并道歉。",
    "消费者称售后服务电话长期无人接听，维修一再拖延。",
]
DEMANDS = ["refund", "exchange", "repair", "compensation", "apology"]


def _fictitious_uscc(n: int) -> str:
    from stdnum.cn import uscc

    base = f"92310000DEMXX{n % 10000:04d}"  # letters no real registration office issues in this form
    return base + uscc.calc_check_digit(base)


DEMO_STAFF = "演示员"  # the owner of every demo case: how a database of real cases is told apart
BATCH = 20_000  # cases generated and inserted at a time: memory stays flat at any size


def has_real_cases(store: Store) -> bool:
    """Whether the database holds any case that demo data did not make."""
    with store.read() as s:
        return s.scalar(select(Case.id).where(Case.owner != DEMO_STAFF).limit(1)) is not None


DEMO_LOGIN = "demo"


def sign_in_member(store: Store) -> Identity:
    """演示模式 acts as 演示员, a plainly fictitious supervisor of the demo database (made there the first time).

    Why not the member signed in at the real desk: the demo is there to try the whole desk on fictitious
    cases, the supervisor's tasks too (重新打开, 节假日安排, the rule settings, 人员管理, 审计日志), and nothing
    done in it reaches the live database (its own file, its own accounts and data key). Cases registered in
    it are owned by 演示员 like the generated ones, so it stays recognisably a demo database
    (`has_real_cases`) and no real member's name is put in it. The window still locks with the real
    member's password, and 演示员 is named in its title bar. A database that holds real cases is refused."""
    from app.staff import accounts, audit

    if has_real_cases(store):
        raise accounts.Refused("这个数据库中有正式案件，不能作为演示数据库使用")
    with store.write() as s:
        account = s.scalar(select(StaffAccount).where(StaffAccount.login == DEMO_LOGIN))
        if account is None:  # no password: nobody signs in as it, the demo desk acts as it
            account = accounts.create(s, DEMO_LOGIN, DEMO_STAFF, "supervisor", None)
        who = accounts.identity_of(account)
        audit.record_as(s, DEMO_STAFF, "sign_in", "演示模式：以演示员（负责人）身份操作演示数据")
    store.identity = who
    return who


def generate(store: Store, n: int, seed: int = 2026, today: dt.date | None = None,
             progress: Progress | None = None) -> int:
    """Add n demo cases over the past two years in bulk, a batch at a time in one transaction
    (a cancel leaves nothing); returns how many were added."""
    rng = random.Random(seed)
    progress = progress or Progress()
    today = today or clock.today()
    sqlite = store.is_sqlite
    with store.write() as s:
        if not sqlite:
            # The day counters are read once and written at the end: desks registering meanwhile wait for
            # them instead of taking the same numbers (SQLite's write lock already queues them).
            s.execute(text("LOCK TABLE case_counters IN EXCLUSIVE MODE"))
        cal = load_calendar(s)
        merchant_ids = []
        start = s.scalar(select(func.count(Merchant.id))) or 0
        for i in range(40):
            m = Merchant(name=f"演示{rng.choice('东南西北中')}{SHOPS[i % len(SHOPS)]}{start + i + 1}号（演示）",
                         uscc=_fictitious_uscc(start + i + 1), shop_no=f"{rng.choice('ABC')}{rng.randint(1, 3)}-{i:03d}",
                         phone=f"0216{rng.randint(1000000, 9999999)}", address="示例路演示商城内",
                         created_at=clock.utcnow())
            s.add(m)
            s.flush()
            merchant_ids.append(m.id)
        counters = {c.day: c.last for c in s.scalars(select(CaseCounter))}
        new_days: set[dt.date] = set()
        due_cache: dict[tuple, dt.date] = {}

        def due(period, start: dt.date) -> dt.date:
            if (period, start) not in due_cache:
                due_cache[(period, start)] = cal.add(start, period)
            return due_cache[(period, start)]

        def working(start: dt.date, days: int) -> dt.date:
            if ("w", start, days) not in due_cache:
                due_cache[("w", start, days)] = cal.add_working_days(start, days)
            return due_cache[("w", start, days)]

        follow_up_days = int(settings.get(s, "deadline.follow_up_days"))
        now = clock.utcnow()
        latest = clock.now()
        index = bulk.consumer_indexer(s)
        next_consumer = (s.scalar(select(func.max(Consumer.id))) or 0) + 1
        next_case = (s.scalar(select(func.max(Case.id))) or 0) + 1
        done = 0
        with bulk.loading(s, n):
            while done < n:
                size = min(BATCH, n - done)
                consumers: list[dict] = []
                case_rows: list[dict] = []
                events: list[dict] = []
                for i in range(size):
                    days_ago = int(rng.triangular(0, 730, 0))
                    day = today - dt.timedelta(days=days_ago)
                    received = dt.datetime.combine(day, dt.time(rng.randint(9, 17), rng.randint(0, 59)), LOCAL_TZ)
                    if received > latest:
                        received = latest - dt.timedelta(minutes=rng.randint(1, 60))
                        day = received.date()
                    seq = counters.get(day, 0) + 1
                    counters[day] = seq
                    new_days.add(day)
                    kind = rng.choices(["complaint", "consultation", "report"], [80, 17, 3])[0]
                    category, product, nature = rng.choice(PRODUCTS)
                    group = rng.choices(list(codes.CONSUMER_GROUP), [85, 10, 2, 2, 1])[0]
                    consumer = {"name": rng.choice(SURNAMES) + "某" + rng.choice(GIVEN),
                                "phone": f"1990000{rng.randint(0, 9999):04d}", "id_number": "", "address": "",
                                "group": group, "consent_to_share": rng.random() < 0.5}
                    if sqlite:  # one writer holds the lock: ids can be given here, and executemany stays fast
                        consumer["id"] = next_consumer + i
                    index(consumer)
                    consumers.append(consumer)
                    paid = Decimal(rng.choice([39, 99, 199, 299, 499, 899, 1299, 2999, 5999, 12800]))
                    state = _demo_state(rng, kind, days_ago)
                    rs = rule_set_for(day)
                    accepted_on = None
                    if state not in ("registered", "not_accepted") and kind == "complaint":
                        accepted_on = working(day, rng.randint(0, 3)) if rng.random() < 0.9 else day
                        accepted_on = min(accepted_on, today)
                    recovered = paid if state in ("resolved", "closed") and kind == "complaint" else Decimal("0")
                    ended = state not in ("registered", "accepted", "mediating")
                    same_day = kind == "consultation" or (paid <= 500 and rng.random() < 0.6)  # answered at the desk
                    outcome_on = min(today, day + dt.timedelta(days=0 if same_day else rng.randint(1, 40))) if ended else None
                    row = {
                        "case_no": f"{day:%Y%m%d}-{seq:04d}", "kind": kind, "received_at": received,
                        "received_day": day, "channel": rng.choices(list(codes.CHANNEL), [60, 30, 6, 2, 2])[0],
                        "consumer_id": i, "merchant_id": rng.choice(merchant_ids) if kind != "consultation" else None,
                        "category": category, "nature": nature, "product": product, "brand": "演示牌",
                        "purchase_date": day - dt.timedelta(days=rng.randint(0, 60)), "purchase_channel": "store",
                        "amount_paid": paid, "amount_claimed": paid, "facts": rng.choice(FACTS),
                        "demands": ",".join(rng.sample(DEMANDS, rng.randint(1, 2))), "state": state, "rule_set": rs.code,
                        "acceptance_due": due(rs.acceptance, day) if kind == "complaint" else None,
                        "accepted_on": accepted_on,
                        "mediation_due": due(rs.mediation, accepted_on) if accepted_on else None,
                        "amount_recovered": recovered, "advance_paid": Decimal("0"),
                        "fast_track": kind == "complaint" and paid <= 500, "priority": group != "none",
                        "owner": DEMO_STAFF, "updated_at": now, "outcome_on": outcome_on,
                        # as the one move below leaves them (app/cases/lifecycle.report_facts)
                        **lifecycle.report_facts(state, (received + dt.timedelta(hours=1)).astimezone(LOCAL_TZ).date(),
                                                 {"outcome": "", "was_accepted": accepted_on is not None,
                                                  "decided_on": None}),
                        "follow_up_on": outcome_on if state == "closed" else None,
                        # the dates app/calendar/due_dates.py gives a case with this outcome: a visit is due
                        # after every outcome, a notice after a mediation that failed or was ended (sent
                        # long ago for the older ones)
                        "follow_up_due": outcome_on + dt.timedelta(days=follow_up_days)
                        if outcome_on and kind != "consultation" else None,
                        "notice_due": due(rs.notice, outcome_on)
                        if outcome_on and state in ("failed", "terminated") and accepted_on else None,
                        "notice_sent_on": min(today, outcome_on + dt.timedelta(days=2))
                        if outcome_on and state in ("failed", "terminated") and accepted_on and days_ago > 30
                        else None,
                        "satisfaction": rng.choices(["satisfied", "basically_satisfied", "dissatisfied"], [70, 22, 8])[0]
                        if state == "closed" and kind == "complaint" else "",
                    }
                    if sqlite:
                        row["id"] = next_case + i
                        row["consumer_id"] = next_consumer + i
                    case_rows.append(row)
                    events.append({"case_id": i, "at": received, "actor": DEMO_STAFF, "action": "register",
                                   "from_state": None, "to_state": "registered", "reason_code": "",
                                   "note": "登记（演示数据）"})
                    if state != "registered":
                        events.append({"case_id": i, "at": received + dt.timedelta(hours=1), "actor": DEMO_STAFF,
                                       "action": "move", "from_state": "registered", "to_state": state,
                                       "reason_code": "", "note": "演示数据"})
                if sqlite:  # Core executemany: one statement per table, not one per pattern of empty values
                    conn = s.connection()
                    conn.execute(insert(Consumer), consumers)
                    conn.execute(insert(Case), facts.seal_rows(s, case_rows))
                    case_ids = [r["id"] for r in case_rows]
                else:  # ids from the database (RETURNING), so PostgreSQL's sequences stay right
                    consumer_ids = s.scalars(insert(Consumer).returning(Consumer.id, sort_by_parameter_order=True),
                                             consumers).all()
                    for row, consumer_id in zip(case_rows, consumer_ids, strict=True):
                        row["consumer_id"] = consumer_id
                    case_ids = list(s.scalars(insert(Case).returning(Case.id, sort_by_parameter_order=True),
                                              facts.seal_rows(s, case_rows)).all())
                for event in events:
                    event["case_id"] = case_ids[int(event["case_id"])]
                s.connection().execute(insert(Event), events)
                next_consumer += size
                next_case += size
                done += size
                progress.update(done, n, "正在生成演示案件…")
        for day in new_days:
            s.merge(CaseCounter(day=day, last=counters[day]))
    store.optimize()  # planner statistics for the new size
    return n


def _demo_state(rng: random.Random, kind: str, days_ago: int) -> str:
    if kind == "consultation":
        return "closed" if days_ago > 0 or rng.random() < 0.7 else "registered"
    if kind == "report":
        return "referred" if days_ago > 2 else "registered"
    if days_ago < 3:
        return rng.choice(["registered", "registered", "accepted", "mediating"])
    if days_ago < 60:
        return rng.choice(["mediating", "mediating", "resolved", "failed", "not_accepted", "closed"])
    return rng.choices(["closed", "resolved", "failed", "terminated", "referred", "not_accepted"],
                       [70, 8, 6, 5, 5, 6])[0]


