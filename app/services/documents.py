"""Documents the desk prints: case notices, referrals, the monthly summary, posters, commitments."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from app import audit, cases, clock, holiday_arrangements, mediation, merchants, posters, reports, settings
from app.errors import FieldError
from app.intake import LOCAL_TZ
from app.models import Case, Event
from app.services.base import Service


def _today() -> dt.date:
    return clock.today()


class DocumentService(Service):
    def _settings(self) -> dict[str, str]:
        with self.store.read() as s:
            return settings.all_settings(s)

    # -- case documents ---------------------------------------------------------------------------
    def receipt_pdf(self, case_no: str, actor: str | None = None) -> bytes:
        """The complaint receipt (投诉登记回执) as PDF bytes; the print is recorded."""
        from app.printing import receipt

        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            cal = holiday_arrangements.load_calendar(s)
            data = receipt.ReceiptData.from_case(case, settings.all_settings(s), cal)
            audit.record(s, "print", case_no, "打印投诉登记回执（个人信息已遮盖）", actor)
        return receipt.render(data)

    def notice_pdf(self, kind: str, case_no: str, actor: str | None = None, masked: bool = False) -> bytes:
        """不予受理告知书, 调解协议书 or 终止调解/调解不成告知书, dated by the decision. The consumer's own
        copy names them in full; `masked` for a copy that leaves the desk. `actor` is printed as 调解员."""
        from app.printing import notices

        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            pdf = notices.render(case, kind, settings.all_settings(s), _today(), masked=masked and kind != "agreement",
                                 staff=actor or case.owner)
            copy = "（外送副本，姓名已遮盖）" if masked and kind != "agreement" else "（消费者本人收执）"
            audit.record(s, "print", case_no, f"打印{notices.KINDS[kind]}{copy}", actor)
            if kind == "terminated" and case.notice_due and not case.notice_sent_on:
                # Printing the notice of the end of mediation is taken as sending it: its deadline is met.
                cases.record_notice_sent(s, case, actor)
        return pdf

    def referral_pdf(self, case_no: str, actor: str | None = None) -> bytes:
        """转办单 for one case; personal data in full only where the consumer consented."""
        from app.printing import referral

        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            pdf = referral.render_one(case, mediation.sessions(s, case), settings.all_settings(s), _today(),
                                      staff=actor or case.owner)
            audit.record(s, "print", case_no, "打印转办单" + ("（含同意提供的个人信息）" if case.consumer.consent_to_share
                                                         else "（个人信息已遮盖）"), actor)
        return pdf

    def referred_cases(self, date_from: dt.date, date_to: dt.date) -> list[str]:
        """Cases referred within the period (by the day of the referral event)."""
        start = dt.datetime.combine(date_from, dt.time(), LOCAL_TZ)
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
        with self.store.read() as s:
            ids = s.scalars(select(Event.case_id).where(Event.to_state == "referred", Event.action == "move",
                                                       Event.at >= start, Event.at < end).distinct()).all()
            return [c.case_no for c in s.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.received_at))]

    def referral_batch(self, date_from: dt.date, date_to: dt.date, path=None, actor: str | None = None,
                       target: str | None = None):
        """A period's referrals, one batch per target (council | samr): with `path`, writes a PDF (summary
        table, then each 转办单) or an .xlsx per target and returns the paths written — `path` itself for
        one target, `<stem>-消保委` / `<stem>-市场监管` beside it when the period has both; without `path`,
        returns the PDF bytes of `target` (or of the only target referred to)."""
        from app.printing import referral, referral_xlsx

        if target is not None and target not in referral.TARGETS:
            raise FieldError("target", "移送对象须为 council（消保委）或 samr（市场监管）")
        numbers = self.referred_cases(date_from, date_to)
        with self.store.write() as s:
            items = [cases.get_case(s, n) for n in numbers]
            groups = {t: [c for c in items if (c.referred_to or "council") == t] for t in referral.TARGETS}
            groups = {t: g for t, g in groups.items() if g and target in (None, t)}
            if not groups:
                whom = f"移送{referral.TARGET_SHORT[target]}" if target else "移送"
                raise FieldError("period", f"{date_from} 至 {date_to} 没有{whom}的案件")
            if path is None and len(groups) > 1:
                raise FieldError("target", "该期间既有移送消保委也有移送市场监管的案件，请选择移送对象")
            values = settings.all_settings(s)
            written, pdf = [], b""
            for t, group in groups.items():
                out = None
                if path is not None:
                    out = Path(path)
                    if len(groups) > 1:
                        out = out.with_name(f"{out.stem}-{referral.TARGET_SHORT[t]}{out.suffix}")
                if out is not None and out.suffix.lower() == ".xlsx":
                    referral_xlsx.write(out, group, values)
                else:
                    pdf = referral.render_batch([(c, mediation.sessions(s, c)) for c in group], values, _today(),
                                                (date_from, date_to), staff=actor or "")
                    if out is not None:
                        out.write_bytes(pdf)
                if out is not None:
                    written.append(out)
                audit.record(s, "export", detail=f"转办汇总（{referral.TARGET_SHORT[t]}）{date_from}—{date_to}，"
                             f"{len(group)} 件", actor=actor)
        return written if path is not None else pdf

    def hot_issue_draft(self, hot: dict) -> bytes:
        """One click from a hot issue: a draft report to 市场监管 with every case behind it."""
        from app.printing import referral

        with self.store.write() as s:
            items = [cases.get_case(s, n) for n in hot["case_nos"]]
            audit.record(s, "print", detail=f"热点问题反映草稿：{hot['value']}（{len(items)} 件）")
            return referral.render_batch([(c, mediation.sessions(s, c)) for c in items], settings.all_settings(s),
                                         _today(), None, hot=hot)

    def monthly_pdf(self, month: str) -> bytes:
        from app.printing import monthly

        with self.store.read() as s:
            figures = reports.monthly(s, month)
            values = settings.all_settings(s)
        return monthly.render(figures, values, _today())

    # -- merchants --------------------------------------------------------------------------------
    def commitment_pdf(self, merchant_id: int) -> bytes:
        from app.printing import commitment

        with self.store.read() as s:
            d = merchants.detail(s, merchant_id)
            signed = [c for c in d["commitments"] if c["kind"] == "quality_safety"]
            day = dt.date.fromisoformat(signed[-1]["signed_on"]) if signed else None
            return commitment.render(d, day, settings.all_settings(s), _today())

    # -- posters ----------------------------------------------------------------------------------
    def tip_templates(self) -> list[dict]:
        return [{"name": t.name, "title": t.title} for t in posters.tip_templates()]

    def bulletin_pdf(self, size: str = "A4") -> bytes:
        from app.printing import poster

        return poster.bulletin(self._settings(), size, _today())

    def tip_pdf(self, name_or_tip, size: str = "A4") -> bytes:
        """A consumer-tip poster from a template name, or from a Tip staff edited."""
        from app.printing import poster

        tip = posters.tip(name_or_tip) if isinstance(name_or_tip, str) else name_or_tip
        return poster.tip_poster(tip, self._settings(), size, _today())
