"""The council package (报送消保委): a point's signed month, and the district report the council merges.

A package is a ZIP file with four members (resources/schemas/council-package-1.json describes the JSON):
- package.json        the month's figures (as `liaison report monthly --json`), referral summaries and
                      one row per case, without personal data (full only where the consumer consented)
- monthly-report.pdf  the point's monthly report
- manifest.json       format, version, month, point, public key, and the SHA-256 of the two files above
- manifest.sig        the Ed25519 signature of the exact bytes of manifest.json, in base64
Verifying: the signature of manifest.json with the public key it names, that key trusted at the council,
then each file's SHA-256. Any changed byte fails one of these (or the ZIP's own checks).
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.records import money_text
from app.core import clock, codes, files
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError
from app.core.privacy import mask_name, mask_phone
from app.district import point_key
from app.merchants.requests import ReplyRecord
from app.storage.models import Attachment, Case, Event, MerchantRequest

FORMAT = "liaison-council-package"
VERSION = 1
SCHEMA = f"council-package-{VERSION}.json"
MEMBERS = ("manifest.json", "manifest.sig", "package.json", "monthly-report.pdf")
OUTCOMES = ("resolved", "failed", "terminated", "not_accepted", "referred")
MEDIATION_OUTCOMES = ("resolved", "failed", "terminated")
# Phone and ID numbers inside free text (facts) are masked before they leave the point.
_PHONE_OR_ID = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)|(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])")


def schema_path() -> Path:
    from app.core.resources import resource_path

    return resource_path("schemas", SCHEMA)


@cache
def schema() -> dict:
    return json.loads(schema_path().read_text(encoding="utf-8"))


def _mask_text(text: str) -> str:
    def repl(m: re.Match) -> str:
        if m.group(1):
            return f"{m.group(1)}****{m.group(2)}"
        return f"{m.group(3)}********{m.group(4)}"

    return _PHONE_OR_ID.sub(repl, text or "")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- at the point: the rows and the package ------------------------------------------------------

def acceptance_on_time(c: Case, decided: dt.date | None, today: dt.date) -> bool | None:
    """Decided by the deadline; a case still waiting for its decision after the deadline is late
    (as app/reports/figures.py counts it); None while it is not due yet or has no deadline."""
    if not c.acceptance_due:
        return None
    if decided:
        return decided <= c.acceptance_due
    return False if c.state == "registered" and c.acceptance_due < today else None


def mediation_on_time(c: Case, outcome: str, today: dt.date) -> bool | None:
    if not c.mediation_due:
        return None
    if outcome in MEDIATION_OUTCOMES and c.outcome_on:
        return c.outcome_on <= c.mediation_due
    late = c.state in ("accepted", "mediating") and not c.paused_since and c.mediation_due < today
    return False if late else None


def case_rows(session: Session, start: dt.date, end: dt.date) -> list[dict]:
    """One row per case received in the period, personal data masked unless the consumer consented."""
    cases = list(session.scalars(select(Case).where(Case.received_day >= start, Case.received_day <= end)
                                 .order_by(Case.received_at, Case.id)).unique())
    ids = [c.id for c in cases]
    today = clock.today()
    outcome: dict[int, str] = {}
    decided: dict[int, dt.date] = {}
    requests: dict[int, MerchantRequest] = {}
    evidence: dict[int, list[dict]] = {}  # 证据材料清单: label, hash and size, never names or content
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        for case_id, state, at in session.execute(
                select(Event.case_id, Event.to_state, Event.at).where(
                    Event.case_id.in_(part), Event.action.in_(("move", "import"))).order_by(Event.id)):
            if state in OUTCOMES:
                outcome[case_id] = state
            if state in ("accepted", "not_accepted") and case_id not in decided:
                decided[case_id] = at.astimezone(LOCAL_TZ).date()
        requests.update({r.case_id: r for r in session.scalars(
            select(MerchantRequest).where(MerchantRequest.case_id.in_(part)))})
        for case_id, label, digest, size in session.execute(
                select(Attachment.case_id, Attachment.label, Attachment.sha256, Attachment.size)
                .where(Attachment.case_id.in_(part)).order_by(Attachment.id)):
            evidence.setdefault(case_id, []).append({"label": label, "sha256": digest, "bytes": size})
    rows = []
    for c in cases:
        complaint = c.kind == "complaint"
        out = outcome.get(c.id, "open")
        dec = decided.get(c.id)
        consent = c.consumer.consent_to_share
        req = requests.get(c.id)
        rows.append({
            "case_no": c.case_no, "kind": c.kind, "channel": c.channel,
            "received": c.received_day.isoformat(),
            "acceptance_due": _iso(c.acceptance_due), "decided_on": _iso(dec),
            "mediation_due": _iso(c.mediation_due), "outcome_on": _iso(c.outcome_on),
            "state": c.state, "outcome": out,
            "category": c.category, "nature": c.nature,
            "merchant": {"name": c.merchant.name if c.merchant else "", "uscc": (c.merchant.uscc or "") if c.merchant
                         else ""},
            "product": c.product, "brand": c.brand, "purchase_channel": c.purchase_channel,
            "amount_paid": money_text(c.amount_paid), "amount_claimed": money_text(c.amount_claimed),
            "amount_recovered": money_text(c.amount_recovered), "advance_paid": money_text(c.advance_paid),
            "fast_track": bool(c.fast_track), "satisfaction": c.satisfaction,
            "acceptance_on_time": acceptance_on_time(c, dec, today) if complaint else None,
            "mediation_on_time": mediation_on_time(c, out, today) if complaint else None,
            "merchant_reply": None if req is None else {
                "asked_on": req.asked_on.isoformat(), "due": req.reply_due.isoformat(),
                "replied_on": _iso(req.replied_on),
                "on_time": ReplyRecord(req.asked_on, req.reply_due, req.replied_on).on_time()},
            "attachments": evidence.get(c.id, []),
            "consumer": {"name": c.consumer.name if consent else mask_name(c.consumer.name),
                         "phone": c.consumer.phone if consent else mask_phone(c.consumer.phone),
                         "consent_to_share": bool(consent)},
        })
    return rows


def referral_rows(session: Session, start: dt.date, end: dt.date) -> list[dict]:
    """The referral summaries (转办单) of cases referred within the period, by the day of the referral."""
    since = dt.datetime.combine(start, dt.time(), LOCAL_TZ)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
    events = session.execute(select(Event.case_id, Event.at, Event.note).where(
        Event.to_state == "referred", Event.action == "move", Event.at >= since, Event.at < until).order_by(Event.id))
    latest: dict[int, tuple[dt.datetime, str]] = {}
    for case_id, at, note in events:
        latest[case_id] = (at, note)
    rows = []
    for c in session.scalars(select(Case).where(Case.id.in_(list(latest))).order_by(Case.received_at)).unique():
        at, note = latest[c.id]
        consent = c.consumer.consent_to_share
        rows.append({
            "case_no": c.case_no, "received": c.received_day.isoformat(),
            "referred_on": at.astimezone(LOCAL_TZ).date().isoformat(), "referred_to": c.referred_to,
            "reason": _mask_text(note), "category": c.category, "nature": c.nature,
            "merchant": {"name": c.merchant.name if c.merchant else "",
                         "uscc": (c.merchant.uscc or "") if c.merchant else ""},
            "product": c.product, "brand": c.brand, "amount_claimed": money_text(c.amount_claimed),
            "facts": c.facts if consent else _mask_text(c.facts),
            "consumer": {"name": c.consumer.name if consent else mask_name(c.consumer.name),
                         "phone": c.consumer.phone if consent else mask_phone(c.consumer.phone),
                         "consent_to_share": bool(consent)},
        })
    return rows


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(figures: dict, settings: dict, rows: list[dict], referrals: list[dict], pdf: bytes, private_key,
          now: dt.datetime) -> bytes:
    """The signed ZIP for one month."""
    point = {"name": settings.get("point.name", ""), "code": settings.get("point.code", ""),
             "council": settings.get("point.council", ""), "contact_name": settings.get("point.contact_name", ""),
             "contact_phone": settings.get("point.contact_phone", ""), "address": settings.get("point.address", "")}
    data = {"format": FORMAT, "version": VERSION, "month": figures["month"], "from": figures["from"],
            "to": figures["to"], "created_at": now.isoformat(), "point": point, "figures": figures,
            "referrals": referrals, "cases": rows}
    package = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    raw = point_key.public_bytes(private_key)
    manifest = json.dumps({
        "format": FORMAT, "version": VERSION, "month": figures["month"], "created_at": now.isoformat(),
        "point": {"name": point["name"], "code": point["code"]},
        "public_key": point_key.public_text(raw), "key_fingerprint": point_key.fingerprint(raw),
        "signature_algorithm": "Ed25519",
        "files": {"package.json": {"sha256": _sha(package), "bytes": len(package)},
                  "monthly-report.pdf": {"sha256": _sha(pdf), "bytes": len(pdf)}},
    }, ensure_ascii=False, indent=1).encode("utf-8")
    signature = base64.b64encode(point_key.sign(private_key, manifest)) + b"\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in (("manifest.json", manifest), ("manifest.sig", signature), ("package.json", package),
                              ("monthly-report.pdf", pdf)):
            info = zipfile.ZipInfo(name, date_time=now.astimezone(LOCAL_TZ).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)
    return out.getvalue()


# --- at the council: verify and merge -----------------------------------------------------------

@dataclass
class Package:
    file: str
    manifest: dict
    data: dict
    pdf: bytes
    fingerprint: str

    @property
    def point_name(self) -> str:
        return self.data["point"]["name"] or self.data["point"]["code"] or self.fingerprint


MAX_PACKAGE_BYTES = 64 * 1024 * 1024  # a month of a point: a few MB (the report PDF, masked rows)


def _refuse(path, message: str) -> FieldError:
    return FieldError("file", f"{Path(path).name}：{message}")


# What each member of a package may inflate to: a zip of 4 MB that inflates to 4 GiB is refused unread.
MEMBER_BYTES = {"manifest.json": 64 * 1024, "manifest.sig": 4 * 1024, "package.json": 32 * 1024 * 1024,
                "monthly-report.pdf": 32 * 1024 * 1024}
BROKEN = (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError)  # hostile JSON shapes


def _members(path, blob: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            names = set(z.namelist())
            if not set(MEMBERS) <= names:
                raise _refuse(path, "不是联络点报送包（缺少 " + "、".join(sorted(set(MEMBERS) - names)) + "）")
            parts = {}
            for name in MEMBERS:
                limit = MEMBER_BYTES[name]
                if z.getinfo(name).file_size > limit:
                    raise _refuse(path, f"{name} 解压后过大（超过 {limit // 1024:,} KB），已拒收")
                with z.open(name) as member:
                    parts[name] = member.read(limit + 1)  # the header may lie about the size
                if len(parts[name]) > limit:
                    raise _refuse(path, f"{name} 解压后过大（超过 {limit // 1024:,} KB），已拒收")
            return parts
    except FieldError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError, NotImplementedError):
        raise _refuse(path, "文件已损坏或被改动（不是完整的报送包），已拒收") from None


def _signed_manifest(path, parts: dict[str, bytes]) -> tuple[dict, str]:
    """The manifest, its signature checked; (manifest, key fingerprint)."""
    try:
        manifest = json.loads(parts["manifest.json"])
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
        raw = point_key.parse_public(str(manifest.get("public_key", "")))
        signature = base64.b64decode(parts["manifest.sig"].strip(), validate=True)
    except (*BROKEN, FieldError):
        raise _refuse(path, "报送包的清单或签名无法读取，已拒收") from None
    if manifest.get("format") != FORMAT:
        raise _refuse(path, "不是联络点报送包")
    if manifest.get("version") != VERSION:
        raise _refuse(path, f"报送包格式版本 {str(manifest.get('version'))[:20]} 本程序不认识（支持 {VERSION}），"
                            "请升级程序")
    if not point_key.verify(raw, signature, parts["manifest.json"]):
        raise _refuse(path, "签名不符：报送包在签名后被改动过，已拒收")
    return manifest, point_key.fingerprint(raw)


def read(path, trusted: dict[str, str]) -> Package:
    """Open and verify one package; FieldError naming the file when it must be refused, whatever its
    shape (a hostile package is refused alone, never ending the whole merge)."""
    try:
        blob = files.read_limited(path, MAX_PACKAGE_BYTES)
    except FieldError as e:
        raise _refuse(path, e.message) from None
    parts = _members(path, blob)
    manifest, fp = _signed_manifest(path, parts)
    try:
        return _checked(path, manifest, parts, fp, trusted)
    except FieldError:
        raise  # a refusal of ours (a FieldError is a ValueError too)
    except BROKEN:
        raise _refuse(path, "报送包的内容无法读取，已拒收") from None


def _checked(path, manifest: dict, parts: dict[str, bytes], fp: str, trusted: dict[str, str]) -> Package:
    listed = manifest.get("files")
    for name in ("package.json", "monthly-report.pdf"):
        if not isinstance(listed, dict) or not isinstance(listed.get(name), dict) \
                or _sha(parts[name]) != listed[name].get("sha256"):
            raise _refuse(path, f"{name} 与签名的清单不符：报送包在签名后被改动过，已拒收")
    point = manifest.get("point")
    signed_as: dict = point if isinstance(point, dict) else {}
    if fp not in trusted:
        raise _refuse(path, f"联络点“{str(signed_as.get('name', ''))[:60]}”的公钥（指纹 {fp}）未登记为可信，已拒收；"
                            "核实后请用 liaison council trust 登记该联络点的公钥")
    data = json.loads(parts["package.json"])
    import jsonschema

    try:
        jsonschema.validate(data, schema())
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path)
        raise _refuse(path, f"内容不符合报送包格式（{where}：{e.message[:200]}）") from None
    if data["month"] != manifest.get("month"):
        raise _refuse(path, "清单与内容的月份不一致")
    registered = trusted[fp]
    if registered and (data["point"]["name"] != registered or signed_as.get("name", registered) != registered):
        raise _refuse(path, f"报送包署名“{data['point']['name']}”，但签名的公钥登记为“{registered}”：一个联络点的公钥"
                            "不能为另一个联络点报送，已拒收")
    return Package(str(path), manifest, data, parts["monthly-report.pdf"], fp)


def verify_all(paths: list, trusted: dict[str, str], month: str | None) -> tuple[list[Package], list[FieldError]]:
    """Every file checked; refusals for changed, untrusted, wrong-month and duplicate packages."""
    packages, errors = [], []
    seen: dict[str, Package] = {}
    for path in paths:
        try:
            p = read(path, trusted)
        except FieldError as e:
            errors.append(e)
            continue
        month = month or p.data["month"]
        if p.data["month"] != month:
            errors.append(_refuse(path, f"这是 {p.data['month']} 的报送包，本次合并的是 {month}，已拒收"))
            continue
        point = trusted.get(p.fingerprint) or p.fingerprint  # one point, one identity, whichever of its keys
        if point in seen:
            errors.append(_refuse(path, f"联络点“{p.point_name}”本月已有报送包（{Path(seen[point].file).name}），"
                                        "同一联络点不能合并两次，已拒收"))
            continue
        seen[point] = p
        packages.append(p)
    return packages, errors


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _rate_from_rows(rows: list[dict], flag: str) -> tuple[int, int]:
    flags = [r[flag] for r in rows if r[flag] is not None]
    return sum(1 for f in flags if f), len(flags)


SUMMED = ("received", "complaints", "accepted", "not_accepted", "fast_track")


def _totals(packages: list[Package]) -> dict:
    figs = [p.data["figures"] for p in packages]
    rows = [r for p in packages for r in p.data["cases"]]
    total = {k: sum(f[k] for f in figs) for k in SUMMED}
    total["by_kind"] = {k: sum(f["by_kind"].get(k, 0) for f in figs) for k in codes.KIND}
    total["by_channel"] = {k: sum(f["by_channel"].get(k, 0) for f in figs) for k in codes.CHANNEL}
    total["outcomes"] = {k: sum(f["outcomes"].get(k, 0) for f in figs) for k in (*MEDIATION_OUTCOMES, "referred",
                                                                                 "open")}
    total["satisfaction"] = {k: sum(f["satisfaction"].get(k, 0) for f in figs) for k in codes.SATISFACTION}
    o = total["outcomes"]
    total["resolution_rate"] = _pct(o["resolved"], o["resolved"] + o["failed"] + o["terminated"])
    total["recovered"] = money_text(sum((Decimal(f["recovered"]) for f in figs), Decimal(0)))
    total["advanced"] = money_text(sum((Decimal(f["advanced"]) for f in figs), Decimal(0)))
    for flag in ("acceptance_on_time", "mediation_on_time"):
        on_time, counted = _rate_from_rows(rows, flag)
        total[flag] = _pct(on_time, counted)
        total[f"{flag}_counts"] = {"on_time": on_time, "counted": counted}
    return total


def _classes(packages: list[Package], key: str, table: dict[str, str]) -> list[dict]:
    now: Counter[str] = Counter()
    before: Counter[str] = Counter()
    per_point: dict[str, dict[str, int]] = {}
    for p in packages:
        for r in p.data["figures"][key]:
            now[r["code"]] += r["count"]
            before[r["code"]] += r["count_last_year"]
            per_point.setdefault(r["code"], {})[p.fingerprint] = r["count"]
    total_now, total_before = sum(now.values()), sum(before.values())
    out = []
    for code, label in table.items():
        share, share_before = _pct(now[code], total_now), _pct(before[code], total_before)
        out.append({"code": code, "label": label, "count": now[code], "share": share,
                    "count_last_year": before[code], "share_last_year": share_before,
                    "share_change": round((share or 0) - (share_before or 0), 1),
                    "by_point": [per_point.get(code, {}).get(p.fingerprint, 0) for p in packages]})
    return out


def _merchants(packages: list[Package]) -> list[dict]:
    """Complained-about merchants across points; the same USCC at several points is one merchant."""
    groups: dict[str, dict] = {}
    for i, p in enumerate(packages):
        for r in p.data["cases"]:
            if r["kind"] != "complaint" or not (r["merchant"]["name"] or r["merchant"]["uscc"]):
                continue
            uscc = r["merchant"]["uscc"]
            key = f"uscc:{uscc}" if uscc else f"name:{p.fingerprint}:{r['merchant']['name']}"
            g = groups.setdefault(key, {"name": r["merchant"]["name"], "uscc": uscc, "complaints": 0,
                                        "by_point": [0] * len(packages), "names": set(),
                                        "recovered": Decimal(0)})
            g["complaints"] += 1
            g["by_point"][i] += 1
            g["names"].add(r["merchant"]["name"])
            g["recovered"] += Decimal(r["amount_recovered"])
    out = []
    for g in groups.values():
        points = sum(1 for n in g["by_point"] if n)
        out.append({"name": g["name"], "uscc": g["uscc"], "other_names": sorted(g["names"] - {g["name"]}),
                    "complaints": g["complaints"], "points": points, "by_point": g["by_point"],
                    "recovered": money_text(g["recovered"])})
    return sorted(out, key=lambda m: (-m["complaints"], -m["points"], m["name"]))


def _hot_issues(packages: list[Package], merchants: list[dict]) -> list[dict]:
    """Each point's hot issues joined by what they are about; merchants complained of at several points."""
    joined: dict[tuple[str, str], dict] = {}
    for p in packages:
        for h in p.data["figures"]["hot_issues"]:
            j = joined.setdefault((h["kind"], h["value"]), {"kind": h["kind"], "label": h["label"],
                                                            "value": h["value"], "count": 0, "points": []})
            j["count"] += h["count"]
            j["points"].append(p.point_name)
    for m in merchants:
        if m["points"] >= 2:
            key = ("merchant_across_points", m["uscc"] or m["name"])
            joined[key] = {"kind": "merchant_across_points", "label": "多个联络点被投诉的经营者",
                           "value": m["name"] + (f"（{m['uscc']}）" if m["uscc"] else ""), "count": m["complaints"],
                           "points": [p.point_name for p, n in zip(packages, m["by_point"], strict=True) if n]}
    return sorted(joined.values(), key=lambda h: (-len(h["points"]), -h["count"], h["kind"], h["value"]))


def _trend(packages: list[Package]) -> list[dict]:
    months: Counter = Counter()
    order: list[str] = []
    for p in packages:
        for t in p.data["figures"]["trend"]:
            if t["month"] not in months:
                order.append(t["month"])
            months[t["month"]] += t["complaints"]
    return [{"month": m, "complaints": months[m]} for m in sorted(order)]


def merge(packages: list[Package], month: str) -> dict:
    """The district report's figures: totals, each figure per point, classes, merchants, hot issues."""
    if not packages:
        raise FieldError("file", "没有可合并的报送包")
    first = packages[0].data
    per_point = []
    for p in packages:
        f = p.data["figures"]
        accepted = _rate_from_rows(p.data["cases"], "acceptance_on_time")
        mediated = _rate_from_rows(p.data["cases"], "mediation_on_time")
        per_point.append({
            "name": p.point_name, "code": p.data["point"]["code"], "fingerprint": p.fingerprint,
            "file": Path(p.file).name, "created_at": p.data["created_at"],
            **{k: f[k] for k in (*SUMMED, "by_kind", "by_channel", "outcomes", "resolution_rate", "recovered",
                                 "advanced", "acceptance_on_time", "mediation_on_time", "satisfaction")},
            "acceptance_on_time_counts": {"on_time": accepted[0], "counted": accepted[1]},
            "mediation_on_time_counts": {"on_time": mediated[0], "counted": mediated[1]},
            "referrals": len(p.data["referrals"]),
        })
    merchants = _merchants(packages)
    return {
        "month": month, "from": first["from"], "to": first["to"],
        "points": per_point,
        "totals": _totals(packages) | {"referrals": sum(len(p.data["referrals"]) for p in packages)},
        "by_category": _classes(packages, "by_category", codes.CATEGORY),
        "by_nature": _classes(packages, "by_nature", codes.NATURE),
        "merchants": merchants,
        "hot_issues": _hot_issues(packages, merchants),
        "trend": _trend(packages),
        "referrals": [{"point": p.point_name, **r} for p in packages for r in p.data["referrals"]],
    }
