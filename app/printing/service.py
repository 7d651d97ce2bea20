"""Documents the desk prints: case notices, referrals, the monthly summary, posters, commitments."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from app.calendar import holiday_arrangements
from app.cases import check_codes, mediation, records
from app.core import clock, files
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError
from app.evidence import attachments
from app.merchants import registry
from app.point import posters, settings
from app.reports import figures, print_register
from app.staff import audit, identity
from app.storage import crypto
from app.storage.db import Service
from app.storage.models import Case, Event


def _today() -> dt.date:
    return clock.today()


def export_detail(path, what: str, full_case_nos: list[str]) -> str:
    """导出 …: the full path and the cases whose personal data left in full."""
    where = str(Path(path).resolve())
    carried = (f"；含完整个人信息的案件 {len(full_case_nos)} 件：{'、'.join(full_case_nos)}" if full_case_nos
               else "；个人信息已遮盖")
    return f"{what} → {where}{carried}"


class DocumentService(Service):
    def _settings(self) -> dict[str, str]:
        with self.store.read() as s:
            return settings.all_settings(s)

    # -- case documents ---------------------------------------------------------------------------
    # Making a document writes only its number in the print register (the first time); `printed`
    # records it once the file is written or the printer took it (the command after writing -o FILE,
    # the window after 打印 / 另存为 succeeded).
    def _register_no(self, kind: str, case_no: str) -> str:
        with self.store.write() as s:
            return print_register.number_for(s, kind, records.get_case(s, case_no)).footer()

    def receipt_pdf(self, case_no: str) -> bytes:
        """The complaint receipt (投诉登记回执) as PDF bytes, with its check code and QR code."""
        from app.printing import receipt

        number = self._register_no("receipt", case_no)
        with self.store.read() as s:
            case = records.get_case(s, case_no)
            cal = holiday_arrangements.load_calendar(s)
            code = check_codes.code(crypto.attached(s.get_bind()), case.case_no)
            data = receipt.ReceiptData.from_case(case, settings.all_settings(s), cal, check_code=code,
                                                 register_no=number,
                                                 materials=tuple(attachments.materials(attachments.for_case(s, case))))
        return receipt.render(data)

    def registration_pdf(self, case_no: str, masked: bool = False) -> bytes:
        """投诉登记表 (咨询登记表, 举报登记表): the case as registered, in full — personal data, the facts
        however long, demands, evidence — with the consent line and the consumer's and clerk's signature
        lines. The desk's own record; `masked` for a copy that leaves the desk. The member signed in is
        printed as 经办人."""
        from app.printing import registration

        number = self._register_no("registration", case_no)
        with self.store.read() as s:
            case = records.get_case(s, case_no)
            return registration.render(case, settings.all_settings(s), _today(), staff=identity.actor(s),
                                       materials=attachments.registration_materials(s, case), masked=masked,
                                       register_no=number)

    def notice_pdf(self, kind: str, case_no: str, masked: bool = False) -> bytes:
        """不予受理告知书, 调解协议书 or 终止调解/调解不成告知书, dated by the decision. The consumer's own
        copy names them in full; `masked` for a copy that leaves the desk. The member signed in is printed
        as 调解员/经办人."""
        from app.printing import notices

        number = self._register_no(kind, case_no) if kind in print_register.PREFIX else ""
        with self.store.read() as s:
            case = records.get_case(s, case_no)
            return notices.render(case, kind, settings.all_settings(s), _today(), masked=masked and kind != "agreement",
                                  staff=identity.actor(s), register_no=number)

    def referral_pdf(self, case_no: str, with_images: bool = False) -> bytes:
        """转办单 for one case; personal data in full only where the consumer consented. It lists the
        attachments with their SHA-256; `with_images` prints the attached images as pages after it."""
        from app.printing import referral

        number = self._register_no("referral", case_no)
        with self.store.read() as s:
            case = records.get_case(s, case_no)
            return referral.render_one(case, mediation.sessions(s, case), settings.all_settings(s), _today(),
                                       staff=identity.actor(s), register_no=number,
                                       evidence=attachments.referral_evidence(s, case, with_images))

    def printed(self, kind: str, case_no: str = "", to: str = "", note: str = "", masked: bool = False) -> None:
        """Record a document that went to a printer or a file (`to`: the path, or the printer)."""
        from app.printing import notices

        with self.store.write() as s:
            what = ({"receipt": "投诉登记回执（个人信息已遮盖）", "referral": "转办单", "hot_issue": "热点问题反映草稿",
                     "merchant-request": "消费投诉告知函（个人信息已遮盖）"}.get(kind)
                    or notices.KINDS.get(kind, kind))
            if kind in notices.KINDS:
                what += "（外送副本，姓名已遮盖）" if masked and kind != "agreement" else "（消费者本人收执）"
            if kind == "registration" and case_no:
                from app.printing import registration

                what = registration.title(records.get_case(s, case_no).kind)
                what += "（外送副本，个人信息已遮盖）" if masked else "（含完整个人信息）"
            if kind == "referral" and case_no:
                consent = records.get_case(s, case_no).consumer.consent_to_share
                what += "（含同意提供的个人信息）" if consent else "（个人信息已遮盖）"
            number = None
            if case_no and kind in print_register.PREFIX:
                number = print_register.record_print(s, kind, records.get_case(s, case_no), identity.actor(s), to)
            audit.record(s, "print", case_no, f"打印{what}" + (f"，文书编号 {number.number}" if number else "")
                         + (f"：{note}" if note else "") + (f" → {to}" if to else ""))
            if kind == "terminated" and case_no:
                case = records.get_case(s, case_no)
                if case.notice_due and not case.notice_sent_on:
                    # Printing the notice of the end of mediation is taken as sending it: its deadline is met.
                    records.record_notice_sent(s, case)

    def referred_cases(self, date_from: dt.date, date_to: dt.date) -> list[str]:
        """Cases referred within the period (by the day of the referral event)."""
        start = dt.datetime.combine(date_from, dt.time(), LOCAL_TZ)
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
        with self.store.read() as s:
            ids = s.scalars(select(Event.case_id).where(Event.to_state == "referred", Event.action == "move",
                                                       Event.at >= start, Event.at < end).distinct()).all()
            return [c.case_no for c in s.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.received_at))]

    def referral_batch(self, date_from: dt.date, date_to: dt.date, path=None, target: str | None = None):
        """A period's referrals, one batch per target (council | samr): with `path`, writes a PDF (summary
        table, then each 转办单) or an .xlsx per target and returns the paths written — `path` itself for
        one target, `<stem>-消保委` / `<stem>-市场监管` beside it when the period has both; each file is
        recorded as an export once written. Without `path`, returns the PDF bytes of `target` (or of the
        only target referred to) for the caller to record once printed."""
        from app.printing import referral, referral_xlsx

        if target is not None and target not in referral.TARGETS:
            raise FieldError("target", "移送对象须为 council（消保委）或 samr（市场监管）")
        numbers = self.referred_cases(date_from, date_to)
        with self.store.read() as s:
            items = [records.get_case(s, n) for n in numbers]
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
                                                (date_from, date_to), staff=identity.actor(s),
                                                evidence={c.case_no: attachments.referral_evidence(s, c) for c in group})
                    if out is not None:
                        out.write_bytes(pdf)
                if out is not None:
                    written.append((out, t, [c.case_no for c in group if c.consumer.consent_to_share]))
        for out, t, full in written:
            self.exported(out, f"转办汇总（{referral.TARGET_SHORT[t]}）{date_from}—{date_to}，{len(groups[t])} 件", full)
        return [out for out, _t, _f in written] if path is not None else pdf

    def exported(self, path, what: str, full_case_nos: list[str] | None = None) -> None:
        """Record a written export: the full path, and which cases carried personal data in full."""
        with self.store.write() as s:
            audit.record(s, "export", detail=export_detail(path, what, full_case_nos or []))

    def hot_issue_draft(self, hot: dict) -> bytes:
        """One click from a hot issue: a draft report to 市场监管 with every case behind it."""
        from app.printing import referral

        with self.store.read() as s:
            items = [records.get_case(s, n) for n in hot["case_nos"]]
            return referral.render_batch([(c, mediation.sessions(s, c)) for c in items], settings.all_settings(s),
                                         _today(), None, hot=hot)

    def monthly_pdf(self, month: str) -> bytes:
        from app.printing import monthly

        with self.store.read() as s:
            counts = figures.monthly(s, month)
            values = settings.all_settings(s)
        return monthly.render(counts, values, _today())

    # -- merchants --------------------------------------------------------------------------------
    def commitment_pdf(self, merchant_id: int) -> bytes:
        from app.printing import commitment

        with self.store.read() as s:
            d = registry.detail(s, merchant_id)
            signed = [c for c in d.commitments if c.kind == "quality_safety"]
            day = signed[-1].signed_on if signed else None
            return commitment.render(d.as_json(), day, settings.all_settings(s), _today())

    # -- posters ----------------------------------------------------------------------------------
    def tip_templates(self) -> list[dict]:
        return [{"name": t.name, "title": t.title} for t in posters.tip_templates()]

    # Consumer tips as data (resources/texts/tips, and the point's own kept as templates).
    POSTER_SIZES = posters.SIZES
    tip = staticmethod(posters.tip)
    tip_text = staticmethod(posters.tip_to_text)
    tip_from_text = staticmethod(posters.text_to_tip)
    save_tip = staticmethod(posters.save_tip)

    @staticmethod
    def bulletin_title() -> str:
        return str(posters.bulletin_texts()["title"])

    def bulletin_pdf(self, size: str = "A4") -> bytes:
        from app.printing import poster

        return poster.bulletin(self._settings(), size, _today())

    def tip_pdf(self, name_or_tip, size: str = "A4") -> bytes:
        """A consumer-tip poster from a template name, or from a Tip staff edited."""
        from app.printing import poster

        tip = posters.tip(name_or_tip) if isinstance(name_or_tip, str) else name_or_tip
        return poster.tip_poster(tip, self._settings(), size, _today())

    # -- the print register -----------------------------------------------------------------------
    def register(self, date_from: dt.date | None = None, date_to: dt.date | None = None, path=None) -> list[dict]:
        """The register of printed documents (newest first); with `path` also written to .xlsx or .csv."""
        with self.store.read() as s:
            identity.current(s)
            entries = print_register.entries(s, date_from, date_to)
        if path is not None:
            from app.ledger import exchange

            header = [label for label, _ in print_register.COLUMNS]
            rows = [[e[key] for _, key in print_register.COLUMNS] for e in entries]
            files.atomic_write(Path(path), lambda temp: exchange.write_table(temp, header, rows, "文书登记簿"))
            with self.store.write() as s:
                audit.record(s, "export", detail=export_detail(path, f"导出文书登记簿 {len(entries)} 条", []))
        return entries
