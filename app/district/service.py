"""报送消保委: the point's signed monthly package, its public key, and the council's trust and merge."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from app.core import clock, files
from app.core.clock import LOCAL_TZ
from app.core.errors import InputError
from app.district import council, point_key
from app.point import settings
from app.reports import figures
from app.staff import audit
from app.storage.db import Service
from app.storage.models import TrustedPoint


class CouncilService(Service):
    # -- at the point ------------------------------------------------------------------------------
    def keys(self) -> dict:
        """This point's public key (made on first use) as text, with its fingerprint."""
        raw = point_key.public_bytes(point_key.signing_key())
        with self.store.read() as s:
            values = settings.all_settings(s)
        return {"point": values["point.name"], "code": values["point.code"], "public_key": point_key.public_text(raw),
                "fingerprint": point_key.fingerprint(raw), "kept_in": point_key.where_kept()}

    @staticmethod
    def key_file_text(keys: dict) -> str:
        """What a point sends the council to be trusted (also what `liaison council keys` prints)."""
        return (f"# 维权联络点工作台 联络点公钥（报送消保委签名用）\n# 联络点：{keys['point']}"
                + (f"（代码 {keys['code']}）" if keys["code"] else "") + f"\n# 指纹：{keys['fingerprint']}\n"
                + f"{keys['public_key']}\n")

    def package(self, month: str) -> bytes:
        """The signed package of a month (figures, referral summaries, case rows, monthly report PDF)."""
        from app.printing import monthly

        key = point_key.signing_key()
        now = clock.now()
        with self.store.write() as s:
            counts = figures.monthly(s, month)
            values = settings.all_settings(s)
            start, end = dt.date.fromisoformat(counts["from"]), dt.date.fromisoformat(counts["to"])
            rows = council.case_rows(s, start, end)
            referrals = council.referral_rows(s, start, end)
            audit.record(s, "export", detail=f"报送消保委 {month}：{len(rows)} 件案件、{len(referrals)} 件转办（个人信息已遮盖，"
                                             "同意提供者除外）")
        pdf = monthly.render(counts, values, now.date())
        return council.build(counts, values, rows, referrals, pdf, key, now)

    # -- at the council ----------------------------------------------------------------------------
    def trusted(self) -> list[dict]:
        with self.store.read() as s:
            return [{"name": t.name, "fingerprint": t.fingerprint, "public_key": "ed25519:" + t.public_key,
                     "trusted_at": t.trusted_at.astimezone(LOCAL_TZ).isoformat()}
                    for t in s.scalars(select(TrustedPoint).order_by(TrustedPoint.id))]

    def trust_file(self, path: str | Path, name: str = "") -> dict:
        """Register the public key in a file (a key file holds a few lines: read with a limit)."""
        return self.trust(files.read_limited(path, 64 * 1024).decode("utf-8", errors="replace"), name)

    def trust(self, text: str, name: str = "") -> dict:
        """Register a point's public key (the text `liaison council keys` printed, or a PEM key)."""
        import base64
        import re

        raw = point_key.parse_public(text)
        if not name:
            found = re.search(r"联络点：(.+?)(?:（代码.*）)?\s*$", text, re.MULTILINE)
            name = found.group(1).strip() if found else ""
        fp = point_key.fingerprint(raw)
        with self.store.write() as s:
            row = s.scalar(select(TrustedPoint).where(TrustedPoint.fingerprint == fp))
            if row is None:
                row = TrustedPoint(fingerprint=fp, public_key=base64.b64encode(raw).decode("ascii"), name=name,
                                   trusted_at=clock.utcnow())
                s.add(row)
            elif name:
                row.name = name
            audit.record(s, "change", detail=f"登记可信联络点公钥：{row.name}（指纹 {fp}）")
            return {"name": row.name, "fingerprint": fp}

    def merge(self, paths: list, month: str | None = None) -> dict:
        """Verify each package alone and merge those that pass; `refused` in the result names each file
        refused and why (InputError when none passes)."""
        if month is not None:
            figures.period(month)  # a FieldError for a malformed month
        trusted = {t["fingerprint"]: t["name"] for t in self.trusted()}
        packages, errors = council.verify_all([Path(p) for p in paths], trusted, month)
        if not packages:
            raise InputError(errors)
        district = council.merge(packages, month or packages[0].data["month"])
        district["refused"] = [e.message for e in errors]
        return district

    def district_pdf(self, district: dict) -> bytes:
        from app.printing import district as district_doc

        with self.store.read() as s:
            values = settings.all_settings(s)
        return district_doc.render(district, values, clock.today())
