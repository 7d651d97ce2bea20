"""Desk calculators: statutory punitive damages, limitation periods, the 7-day no-reason return.

Every answer carries the article it rests on (resources/texts/articles.json via app/calendar/statutes.py),
its arithmetic, and the figures interchange.md names (last_day, within, applies, …).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from app.calendar.statutes import Statute, statute
from app.core.errors import FieldError

DISTANCE_CHANNELS = {"online", "livestream", "phone", "tv", "mail"}
RETURN_EXCEPTIONS = {
    "custom_made": "消费者定作的",
    "perishable": "鲜活易腐的",
    "digital_unsealed": "在线下载或者消费者拆封的音像制品、计算机软件等数字化商品",
    "newspaper": "交付的报纸、期刊",
    "confirmed_unsuitable": "根据商品性质并经消费者在购买时确认不宜退货的商品",
}


@dataclass
class Answer:
    result: str
    amount: Decimal | None = None
    steps: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)  # article keys
    facts: dict = field(default_factory=dict)  # last_day, within, lost_10_years / applies, can_return
    warnings: list[str] = field(default_factory=list)

    @property
    def articles(self) -> list[Statute]:
        """The articles the answer rests on, to read to the consumer."""
        return [statute(k) for k in self.basis]

    def as_json(self) -> dict:
        out = {
            "result": self.result,
            "amount": f"{self.amount:.2f}" if self.amount is not None else None,
            **self.facts,
            "steps": self.steps,
            "articles": [statute(k).as_json() for k in self.basis],
        }
        if self.warnings:
            out["warnings"] = self.warnings
        return out


def _yuan(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def punitive(price: Decimal, food: bool = False, loss: Decimal | None = None) -> Answer:
    """消法 §55 (fraud: 3x the price, at least 500) or 食品安全法 §148 (10x price or 3x loss, at least 1000)."""
    if price < 0 or (loss is not None and loss < 0):
        raise FieldError("price", "金额不能为负数")
    if loss is not None and not food:
        raise FieldError("loss", "损失三倍只用于食品（食品安全法第一百四十八条）的计算；非食品请去掉损失，食品请选“食品”")
    warnings = []
    if price == 0:
        warnings.append("价款为0：消法第五十五条按消费者购买商品实际支付的价款或者接受服务的费用计算，"
                        "免费赠送、未付款的不能据此主张三倍赔偿，下面只是保底数额，请先核实实际支付的价款"
                        if not food else "价款为0：食品安全法第一百四十八条的十倍按支付的价款计算，请核实实际支付的价款")
    if not food:
        triple = _yuan(price * 3)
        amount = max(triple, Decimal("500.00"))
        steps = [f"价款 {price:.2f} 元 × 3 = {triple:.2f} 元"]
        if amount != triple:
            steps.append("不足500元，按500元计")
        steps.append(f"另可要求退还价款 {price:.2f} 元；增加赔偿 {amount:.2f} 元")
        return Answer(f"增加赔偿 {amount:.2f} 元（退还价款外）", amount, steps, ["cpl_55"], warnings=warnings)
    tenfold = _yuan(price * 10)
    steps = [f"价款 {price:.2f} 元 × 10 = {tenfold:.2f} 元"]
    best = tenfold
    if loss is not None:
        triple_loss = _yuan(loss * 3)
        steps.append(f"损失 {loss:.2f} 元 × 3 = {triple_loss:.2f} 元")
        best = max(tenfold, triple_loss)
        steps.append(f"消费者可择一主张，较高者为 {best:.2f} 元")
    amount = max(best, Decimal("1000.00"))
    if amount != best:
        steps.append("不足1000元，按1000元计")
    steps.append(f"另可要求赔偿损失；赔偿金 {amount:.2f} 元")
    return Answer(f"赔偿金 {amount:.2f} 元（赔偿损失外）", amount, steps, ["fsl_148"], warnings=warnings)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def period_end(nominal: dt.date, cal) -> dt.date:
    """民法典 §203: a period whose last day is a statutory rest day ends on the day after the rest days."""
    return cal.next_workday_on_or_after(nominal)


def limitation(known: dt.date, delivered: dt.date | None, today: dt.date, cal,
               safe_use_until: dt.date | None = None) -> Answer:
    """产品质量法 §45 with 民法典 §201–203: 2 years from when the harm was known (the day itself not
    counted; a last day on a rest day moves to the next working day); lost 10 years after delivery."""
    if known > today:
        raise FieldError("known", f"知道或者应当知道权益受损的日期（{known.isoformat()}）不能晚于今天（{today.isoformat()}）")
    if delivered and delivered > today:
        raise FieldError("delivered", f"交付日期（{delivered.isoformat()}）不能晚于今天（{today.isoformat()}）")
    steps = []
    nominal = _add_years(known, 2)
    last = period_end(nominal, cal)
    steps.append(f"诉讼时效：自知道或者应当知道权益受损的 {known.isoformat()} 次日起算二年，到期日为 {nominal.isoformat()}")
    basis = ["pql_45"]
    if last != nominal:
        steps.append(f"{nominal.isoformat()} 是法定休假日，以休假日结束的次日 {last.isoformat()} 为最后一日（民法典第二百零三条）")
        basis.append("cc_203")
    within = today <= last
    lost = False
    if delivered:
        ten = _add_years(delivered, 10)
        if safe_use_until and safe_use_until > ten:
            steps.append(f"交付最初消费者满十年为 {ten.isoformat()}，但明示安全使用期至 {safe_use_until.isoformat()}，以后者为准")
            ten = safe_use_until
        else:
            steps.append(f"请求权：交付最初消费者 {delivered.isoformat()} 满十年，至 {ten.isoformat()} 丧失")
        lost = today > ten
    facts = {"last_day": last.isoformat(), "within": within and not lost, "lost_10_years": lost}
    if lost:
        return Answer("请求权已丧失（交付满十年）", None, steps, basis, facts)
    if not within:
        return Answer(f"诉讼时效已于 {last.isoformat()} 届满（可能存在中止、中断情形，请核实）", None, steps, basis, facts)
    return Answer(f"尚在诉讼时效内，最后一日为 {last.isoformat()}，还剩 {(last - today).days} 日", None, steps, basis,
                  facts)


def no_reason_return(channel: str, received: dt.date, today: dt.date, exception: str = "") -> Answer:
    """消法 §25: 7 days from receipt for goods bought online, on TV, by phone or by mail, with its exceptions."""
    if received > today:
        raise FieldError("received", f"收到商品的日期（{received.isoformat()}）不能晚于今天（{today.isoformat()}）")
    last = received + dt.timedelta(days=7)
    if channel not in DISTANCE_CHANNELS:
        return Answer("不适用：七日无理由退货只适用于网络、电视、电话、邮购等远程购物（实体店购买以商家承诺为准）",
                      None, [f"购买方式：{channel}"], ["cpl_25"],
                      {"applies": False, "last_day": None, "can_return": False})
    if exception:
        if exception not in RETURN_EXCEPTIONS:
            raise FieldError("exception", "例外情形须为：" + "、".join(RETURN_EXCEPTIONS))
        return Answer(f"不适用：属于“{RETURN_EXCEPTIONS[exception]}”", None, [], ["cpl_25"],
                      {"applies": False, "last_day": None, "can_return": False})
    steps = [f"自收到商品之日 {received.isoformat()} 起七日（收货当日不计），至 {last.isoformat()}"]
    facts = {"applies": True, "last_day": last.isoformat(), "can_return": today <= last}
    if today > last:
        return Answer(f"已超过七日（截至 {last.isoformat()}），不能无理由退货", None, steps, ["cpl_25"], facts)
    return Answer(f"可以无理由退货，最后一天为 {last.isoformat()}；商品应当完好，运费一般由消费者承担", None, steps,
                  ["cpl_25"], facts)
