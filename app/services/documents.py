"""Documents the desk prints: case notices, referrals, the monthly summary, posters, commitments."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from app import (
    attachments,
    audit,
    cases,
    clock,
    codes,
    holiday_arrangements,
    ledger,
    mediation,
    merchants,
    posters,
    print_register,
    reports,
    settings,
)
from app.errors import FieldError
from app.intake import LOCAL_TZ
from app.models import Case, Event
from app.services.base import Service


def _today() -> dt.date:
    return clock.today()


@dataclass(frozen=True)
class Printed:
    """A document as produced: its PDF, its register number, and whether this copy is a reprint (补打)."""

    pdf: bytes
    number: str
    reprint: bool


class DocumentService(Service):
    def _settings(self) -> dict[str, str]:
        with self.store.read() as s:
            return settings.all_settings(s)

    # -- case documents ---------------------------------------------------------------------------
    def case_document(self, kind: str, case_no: str, actor: str | None = None, output: str | None = None,
                      with_images: bool = False) -> Printed:
        """A case document with its register number (补打 when it went out before).

        `output` ("print" or "save") records that it went to a printer or a file now (the command line);
        the window records that later, when the person really prints or saves (desk.register.record_output).
        `with_images`: a referral carries the attached images as pages after it.
        """
        from app.printing import layout, notices, receipt, referral

        actor = actor or audit.current_actor()
        with self.store.write() as s:
            case = cases.get_case(s, case_no)
            issued = print_register.issue(s, kind, case_no, actor)
            values = settings.all_settings(s)
            atts = attachments.for_case(s, case)
            with layout.numbered(issued.number, issued.reprint):
                if kind == "receipt":
                    data = receipt.ReceiptData.from_case(case, values, holiday_arrangements.load_calendar(s))
                    pdf = receipt.render(replace(data, materials=tuple(attachments.materials(atts))))
                    what = "打印投诉登记回执（个人信息已遮盖）"
                elif kind == "referral":
                    listed = [attachments.attachment_json(a) | {"label_text": codes.ATTACHMENT_LABEL[a.label]}
                              for a in atts]
                    images = []
                    if with_images:
                        for a in atts:
                            page = attachments.page_image(attachments.read(s, a), a.file_type)
                            if page:
                                images.append((a.name, page))
                    pdf = referral.render_one(case, mediation.sessions(s, case), values, _today(), listed, images)
                    what = "打印转办单" + ("（含同意提供的个人信息）" if case.consumer.consent_to_share else "（个人信息已遮盖）")
                    if images:
                        what += f"，附图片 {len(images)} 页"
                elif kind in notices.KINDS:
                    pdf = notices.render(case, kind, values)
                    what = f"打印{notices.KINDS[kind]}" + ("" if kind == "agreement" else "（个人信息已遮盖）")
                    if kind == "terminated" and case.notice_due and not case.notice_sent_on:
                        # Printing the notice of the end of mediation is taken as sending it: its deadline is met.
                        cases.record_notice_sent(s, case, actor)
                else:
                    raise FieldError("kind", f"没有“{kind}”这种文书")
            reprint = issued.reprint
            if output:
                reprint = print_register.record_output(s, issued.number, output, actor)
            audit.record(s, "print", case_no, f"{what}，文书编号 {issued.number}" + ("（补打）" if reprint else ""),
                         actor)
        return Printed(pdf, issued.number, issued.reprint)

    def receipt_pdf(self, case_no: str, actor: str | None = None, output: str | None = None) -> bytes:
        """The complaint receipt (投诉登记回执) as PDF bytes; the print is recorded."""
        return self.case_document("receipt", case_no, actor, output).pdf

    def notice_pdf(self, kind: str, case_no: str, actor: str | None = None, output: str | None = None) -> bytes:
        """不予受理告知书, 调解协议书 or 终止调解/调解不成告知书; the agreement carries full names."""
        return self.case_document(kind, case_no, actor, output).pdf

    def referral_pdf(self, case_no: str, actor: str | None = None, output: str | None = None,
                     with_images: bool = False) -> bytes:
        """转办单 for one case; personal data in full only where the consumer consented."""
        return self.case_document("referral", case_no, actor, output, with_images).pdf

    def referred_cases(self, date_from: dt.date, date_to: dt.date) -> list[str]:
        """Cases referred within the period (by the day of the referral event)."""
        start = dt.datetime.combine(date_from, dt.time(), LOCAL_TZ)
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
        with self.store.read() as s:
            ids = s.scalars(select(Event.case_id).where(Event.to_state == "referred", Event.action == "move",
                                                       Event.at >= start, Event.at < end).distinct()).all()
            return [c.case_no for c in s.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.received_at))]

    def referral_batch(self, date_from: dt.date, date_to: dt.date, path=None, actor: str | None = None):
        """All referrals of a period: a PDF (cover list, then each summary), or an .xlsx when path ends so."""
        from app.printing import referral

        numbers = self.referred_cases(date_from, date_to)
        if not numbers:
            raise FieldError("period", f"{date_from} 至 {date_to} 没有移送的案件")
        from app.printing import layout

        actor = actor or audit.current_actor()
        with self.store.write() as s:
            items = [cases.get_case(s, n) for n in numbers]
            issued = print_register.issue(s, "referral-batch", f"{date_from}—{date_to}", actor)
            if path is not None:
                print_register.record_output(s, issued.number, "save", actor)
            audit.record(s, "export", detail=f"转办汇总 {date_from}—{date_to}，{len(items)} 件，文书编号 {issued.number}",
                         actor=actor)
            if path is not None and Path(path).suffix.lower() == ".xlsx":
                rows = [cases.case_json(c, full=c.consumer.consent_to_share) | {"referral_reason":
                                                                                referral.referral_reason(c)}
                        for c in items]
                ledger.write(Path(path), rows, extra=[("移送理由", "referral_reason")])
                return None
            evidence = {c.case_no: [attachments.attachment_json(a) | {"label_text": codes.ATTACHMENT_LABEL[a.label]}
                                    for a in attachments.for_case(s, c)] for c in items}
            with layout.numbered(issued.number, issued.reprint):
                pdf = referral.render_batch([(c, mediation.sessions(s, c)) for c in items], settings.all_settings(s),
                                            _today(), (date_from, date_to), evidence=evidence)
        if path is not None:
            Path(path).write_bytes(pdf)
        return pdf

    def hot_issue_draft(self, hot: dict) -> bytes:
        """One click from a hot issue: a draft report to 市场监管 with every case behind it."""
        from app.printing import referral

        with self.store.write() as s:
            items = [cases.get_case(s, n) for n in hot["case_nos"]]
            audit.record(s, "print", detail=f"热点问题反映草稿：{hot['value']}（{len(items)} 件）")
            return referral.render_batch([(c, mediation.sessions(s, c)) for c in items], settings.all_settings(s),
                                         _today(), None, hot=hot)

    def monthly_pdf(self, month: str, actor: str | None = None, output: str | None = None) -> bytes:
        return self.monthly_document(month, actor, output).pdf

    def monthly_document(self, month: str, actor: str | None = None, output: str | None = None) -> Printed:
        """月度汇总 with its register number (the window records the print or save when it happens)."""
        from app.printing import layout, monthly

        actor = actor or audit.current_actor()
        with self.store.read() as s:
            figures = reports.monthly(s, month)
            values = settings.all_settings(s)
        with self.store.write() as s:
            issued = print_register.issue(s, "monthly", month, actor)
            if output:
                print_register.record_output(s, issued.number, output, actor)
        with layout.numbered(issued.number, issued.reprint):
            return Printed(monthly.render(figures, values, _today()), issued.number, issued.reprint)

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
