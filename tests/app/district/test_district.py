"""The district: signed council packages merged at the council, the disclosure poster, merchants who must answer."""
import datetime as dt
import json
import shutil
import zipfile
from decimal import Decimal

import jsonschema
import pytest
from pypdf import PdfReader

from app.core.clock import LOCAL_TZ
from app.desk import Desk
from app.district import council, point_key
from app.merchants import registry
from app.merchants.credit import credit_level
from app.merchants.requests import ReplyRecord
from app.storage.db import Store
from tests.conftest import complaint, sign_in_tester
from tests.pdf_checks import body, fonts_not_embedded

MONTH = "2026-10"
SHARED_USCC = "91310000MA1FL0TQ03"  # one chain store complained of at every point (fictitious)
OTHER_USCC = {"甲": "91310115MA1K3B7X2M", "乙": "91310104MA1FR2KQ62", "丙": ""}
TODAY = dt.datetime.now(LOCAL_TZ).date()


@pytest.fixture(autouse=True)
def _keys(tmp_path, monkeypatch):
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "keys-council"))
    monkeypatch.setenv("LIAISON_KEYRING", "off")


def _url(backend, tmp_path, request, name):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / name}.db"
    return request.getfixturevalue("pg_server").new_database()


def _at(day: int, hour: int = 10) -> str:
    return f"{MONTH}-{day:02d}T{hour:02d}:00:00+08:00"


def _fill_point(desk: Desk, tag: str, n: int) -> None:
    """n complaints in MONTH at point `tag`: some resolved with money, refused, referred, one consultation."""
    cats = ["appliances", "food", "clothing", "telecom", "education"]
    natures = ["quality", "after_sales", "contract", "false_advertising"]
    for i in range(n):
        shared = i % 3 == 0
        data = complaint(received_at=_at(2 + i), purchase_date=f"{MONTH}-01", category=cats[(i + len(tag)) % len(cats)],
                         nature=natures[i % len(natures)], product=f"商品{i % 4}",
                         merchant={"name": "连锁电器（虚构）" if shared else f"{tag}号店铺{i % 2}（虚构）",
                                   "uscc": SHARED_USCC if shared else (OTHER_USCC[tag] if i % 2 else "")},
                         consumer={"name": f"{tag}某{i}", "phone": f"139{i:04d}{len(tag) * 1111:04d}",
                                   "consent_to_share": i == 1})
        case = desk.cases.add(data)
        no = case["case_no"]
        if i % 5 == 4:
            desk.cases.move(no, "not_accepted", reason_code="no_consumer_dispute", at=_at(3 + i))
            continue
        desk.cases.move(no, "accepted", at=_at(2 + i, 15 if i % 4 else 11))
        if i % 5 == 3:
            desk.cases.move(no, "referred", reason="涉嫌虚假宣传，请市场监管部门处理", referred_to="samr", at=_at(4 + i))
            continue
        if i % 5 in (0, 1):
            desk.cases.mediate(no, "phone", ["consumer", "merchant"], note="电话调解", at=_at(3 + i))
            outcome = "resolved" if i % 5 == 0 else "failed"
            kw = {"terms": "退货退款", "remedies": ["refund"], "amount_recovered": f"{100 + 37 * i}.50"} \
                if outcome == "resolved" else {"reason": "双方差距较大"}
            desk.cases.move(no, outcome, at=_at(4 + i), **kw)
            if outcome == "resolved" and i % 2 == 0:
                desk.cases.record_advance(no, "50.00", "商场")
    desk.cases.add(complaint(kind="consultation", received_at=_at(20), purchase_date=f"{MONTH}-01", demands=[], merchant={"name": ""},
                             facts="咨询七日无理由退货。"))


def _make_point(url: str, tag: str, n: int, key_dir, monkeypatch) -> tuple[Desk, dict]:
    monkeypatch.setenv("LIAISON_KEY_DIR", str(key_dir))
    desk = Desk(Store(url))
    sign_in_tester(desk.store)
    desk.settings.put({"point.name": f"{tag}商场消费维权联络点", "point.code": {"甲": "A", "乙": "B", "丙": "C"}[tag],
                       "point.council": "测试区消费者权益保护委员会"})
    _fill_point(desk, tag, n)
    keys = desk.council.keys()
    return desk, keys


@pytest.fixture
def three_points(backend, tmp_path, request, monkeypatch, cli):
    """Three point databases with their own keys, their packages for MONTH, trusted at the council (cli db)."""
    points = []
    for tag, n in (("甲", 7), ("乙", 11), ("丙", 5)):
        key_dir = tmp_path / f"keys-{tag}"
        desk, keys = _make_point(_url(backend, tmp_path, request, f"point-{tag}"), tag, n, key_dir, monkeypatch)
        package = tmp_path / f"{tag}-{MONTH}.zip"
        package.write_bytes(desk.council.package(MONTH))
        key_file = tmp_path / f"{tag}.pub"
        key_file.write_text(desk.council.key_file_text(keys), encoding="utf-8")
        points.append({"tag": tag, "desk": desk, "keys": keys, "package": package, "key_file": key_file,
                       "key_dir": key_dir})
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "keys-council"))
    for p in points:
        code, out, err = cli("council", "trust", str(p["key_file"]))
        assert code == 0, err
        assert p["keys"]["fingerprint"] in out
    yield points
    for p in points:
        p["desk"].store.dispose()


def test_three_points_merge_to_the_sums_of_their_own_reports(three_points, cli, tmp_path):
    files = [str(p["package"]) for p in three_points]
    report = tmp_path / "district.pdf"
    code, out, err = cli("council", "merge", *files, "-o", str(report), "--json")
    assert code == 0, err
    d = json.loads(out)
    own = [p["desk"].reports.monthly(MONTH) for p in three_points]
    t = d["totals"]
    for key in ("received", "complaints", "accepted", "not_accepted", "fast_track"):
        assert t[key] == sum(f[key] for f in own), key
    for key in ("resolved", "failed", "terminated", "referred", "open"):
        assert t["outcomes"][key] == sum(f["outcomes"][key] for f in own), key
    for key in ("recovered", "advanced"):
        assert Decimal(t[key]) == sum(Decimal(f[key]) for f in own)
    assert Decimal(t["recovered"]) > 0 and Decimal(t["advanced"]) > 0
    assert t["by_kind"]["consultation"] == 3
    for table in ("by_category", "by_nature"):
        mine = {r["code"]: r["count"] for r in d[table]}
        for code_ in mine:
            assert mine[code_] == sum(next(r["count"] for r in f[table] if r["code"] == code_) for f in own)
    # each point's row is its own report; on-time rates from the rows agree with the point's own figures
    for row, f in zip(d["points"], own, strict=True):
        assert row["received"] == f["received"] and row["recovered"] == f["recovered"]
        for flag in ("acceptance_on_time", "mediation_on_time"):
            c = row[f"{flag}_counts"]
            assert f[flag] == (round(100 * c["on_time"] / c["counted"], 1) if c["counted"] else None)
    acc = [row["acceptance_on_time_counts"] for row in d["points"]]
    assert t["acceptance_on_time"] == round(100 * sum(c["on_time"] for c in acc) / sum(c["counted"] for c in acc), 1)
    resolved, ended = t["outcomes"]["resolved"], sum(t["outcomes"][k] for k in ("resolved", "failed", "terminated"))
    assert t["resolution_rate"] == round(100 * resolved / ended, 1)
    # the same merchant (by USCC) at three points is one merchant
    chain = [m for m in d["merchants"] if m["uscc"] == SHARED_USCC]
    assert len(chain) == 1 and chain[0]["points"] == 3
    assert chain[0]["complaints"] == sum(1 for p in three_points for r in json.loads(
        zipfile.ZipFile(p["package"]).read("package.json"))["cases"] if r["merchant"]["uscc"] == SHARED_USCC)
    assert any(h["kind"] == "merchant_across_points" for h in d["hot_issues"])
    assert t["referrals"] == sum(f["outcomes"]["referred"] for f in own)
    # the report: real PDF, every font embedded, figures and points in it
    pdf = report.read_bytes()
    assert fonts_not_embedded(pdf) == []
    text = body(pdf)
    for p in three_points:
        assert f"{p['tag']}商场消费维权联络点" in text
    assert t["recovered"] in text and "连锁电器" in text


def test_package_has_no_personal_data_unless_consented_and_follows_its_schema(three_points):
    p = three_points[0]
    z = zipfile.ZipFile(p["package"])
    assert sorted(z.namelist()) == sorted(council.MEMBERS)
    data = json.loads(z.read("package.json"))
    schema = json.loads((council.schema_path()).read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    jsonschema.validate(json.loads(z.read("manifest.json")), schema["$defs"]["manifest"])
    raw = z.read("package.json").decode("utf-8")
    consented = [r for r in data["cases"] if r["consumer"]["consent_to_share"]]
    assert consented and consented[0]["consumer"]["name"] == "甲某1"
    for r in data["cases"]:
        if not r["consumer"]["consent_to_share"]:
            assert "****" in r["consumer"]["phone"]
            assert r["consumer"]["name"] not in raw.replace(f'"name": "{r["consumer"]["name"]}"', "")
    assert "甲某0" not in raw and "13900001111" not in raw  # a non-consenting consumer
    assert data["figures"] == p["desk"].reports.monthly(MONTH) | {"hot_issues": data["figures"]["hot_issues"]}
    # the package's PDF is the point's monthly report; the signature verifies with the public key alone
    assert z.read("monthly-report.pdf").startswith(b"%PDF")
    manifest = z.read("manifest.json")
    import base64

    assert point_key.verify(point_key.parse_public(p["keys"]["public_key"]),
                            base64.b64decode(z.read("manifest.sig")), manifest)


def _flip(src, dst, offset_from_middle=0):
    blob = bytearray(src.read_bytes())
    i = len(blob) // 2 + offset_from_middle
    blob[i] ^= 0x01
    dst.write_bytes(bytes(blob))


def test_refused_packages_name_the_file(three_points, cli, tmp_path, monkeypatch, backend, request):
    a, b, c = (p["package"] for p in three_points)
    changed = tmp_path / "changed.zip"
    _flip(a, changed)
    code, out, err = cli("council", "merge", str(changed), str(b), "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "changed.zip" in err and ("改动" in err or "损坏" in err)
    assert (tmp_path / "x.pdf").exists()  # each package stands alone: the good one is merged
    # a changed byte inside package.json with a valid ZIP around it: the SHA-256 in the signed manifest differs
    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(a) as src, zipfile.ZipFile(edited, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "package.json":
                at = content.index(b'"received": ') + len(b'"received": ')
                content = content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1:]  # one digit changed
            dst.writestr(name, content)
    code, _, err = cli("council", "merge", str(edited), "--json")
    assert code == 1 and "edited.zip" in err and "package.json" in err and "改动" in err
    # an untrusted key: a fourth point nobody registered
    desk, _ = _make_point(_url(backend, tmp_path, request, "point-丁"), "丙", 2, tmp_path / "keys-丁", monkeypatch)
    stranger = tmp_path / "stranger.zip"
    stranger.write_bytes(desk.council.package(MONTH))
    wrong_month = tmp_path / "september.zip"
    monkeypatch.setenv("LIAISON_KEY_DIR", str(three_points[1]["key_dir"]))
    wrong_month.write_bytes(three_points[1]["desk"].council.package("2026-09"))
    desk.store.dispose()
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "keys-council"))  # back to the council's own keys
    duplicate = tmp_path / "again.zip"
    shutil.copy(c, duplicate)
    code, out, err = cli("council", "merge", str(a), str(stranger), str(wrong_month), str(c), str(duplicate),
                         "--month", MONTH, "--json")
    assert code == 1 and len(json.loads(out)["points"]) == 2 and len(json.loads(out)["refused"]) == 3
    lines = err.strip().splitlines()
    assert len(lines) == 3, err
    assert "stranger.zip" in lines[0] and "未登记为可信" in lines[0]
    assert "september.zip" in lines[1] and "2026-09" in lines[1]
    assert "again.zip" in lines[2] and "同一联络点" in lines[2] and c.name in lines[2]
    # the good ones alone merge
    code, out, _ = cli("council", "merge", str(a), str(c), "--json")
    assert code == 0 and len(json.loads(out)["points"]) == 2


def test_keys_print_the_public_key_and_keep_the_private_key_private(cli, tmp_path):
    code, out, _ = cli("council", "keys")
    assert code == 0
    raw = point_key.parse_public(out)
    assert len(raw) == 32
    key_file = tmp_path / "keys-council" / point_key.FILE_NAME
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.read_text().strip() not in out
    code, again, _ = cli("council", "keys")
    assert again.splitlines()[:4] == out.splitlines()[:4]  # made once, kept
    code, _, err = cli("council", "trust", str(key_file))
    assert code == 1 and "ed25519" in err
    code, _, err = cli("council", "keys", "--qr", str(tmp_path / "key.png"))
    assert code == 0, err
    assert (tmp_path / "key.png").read_bytes().startswith(b"\x89PNG")
    code, _, err = cli("council", "keys", "--qr", str(tmp_path / "key.gif"))
    assert code == 1 and "【qr】" in err


# --- merchants must answer -----------------------------------------------------------------------

def _received(days_ago: int) -> str:
    return (dt.datetime.now(LOCAL_TZ) - dt.timedelta(days=days_ago)).replace(microsecond=0).isoformat()


def complaint_before(days_ago: int, **overrides) -> dict:
    moment = _received(days_ago)
    return complaint(received_at=moment, purchase_date=moment[:10], **overrides)


def test_merchant_request_overdue_then_reply_moves_response_rate_and_level(desk, cli, tmp_path):
    merchant = {"name": "不答复电器行（虚构）", "uscc": "91310104MA1FR2KQ62"}
    numbers = [desk.cases.add(complaint_before(40, merchant=merchant))["case_no"] for _ in range(3)]
    asked_at = _received(39)
    for no in numbers:
        desk.cases.move(no, "accepted", at=asked_at)
        code, _, err = cli("print", "merchant-request", no, "-o", str(tmp_path / f"{no}.pdf"), "--at", asked_at)
        assert code == 0, err
    pdf = (tmp_path / f"{numbers[0]}.pdf").read_bytes()
    text = body(pdf)
    assert "消费投诉告知函" in text and "不答复电器行" in text and "王*兰" in text and "王某兰" not in text
    assert "13900001234" not in text and "退货退款" in text and "021-61671254" in text and "10个工作日" in text
    assert fonts_not_embedded(pdf) == []
    code, out, _ = cli("case", "show", numbers[0], "--json")
    reply = json.loads(out)["deadlines"]["merchant_reply"]
    assert reply["level"] == "overdue" and reply["replied_on"] is None
    assert {"kind": "merchant_reply", "what": "经营者答复期限", "due": reply["due"]} in json.loads(out)["deadlines"]["open"]
    due = dt.date.fromisoformat(reply["due"])
    asked = dt.date.fromisoformat(asked_at[:10])
    assert desk.calendar.current().working_days_between(asked, due) == 10
    # the case list shows the reply deadline like other deadlines
    from app.cases.records import CaseFilter

    rows, _next = desk.cases.rows(CaseFilter(), "received_at", True, None, 50, desk.calendar.current())
    row = next(r for r in rows if r.case_no == numbers[0])
    assert (row.due_what, row.level, row.due) == ("经营者答复期限", "overdue", reply["due"])
    # ... and so does the day's work list (今日待办, liaison due)
    code, out, err = cli("due", "--json")
    assert code == 0, err
    waiting = {i["case_no"]: i for i in json.loads(out)["items"] if i["group"] == "merchant_reply"}
    assert set(waiting) == set(numbers) and {i["level"] for i in waiting.values()} == {"overdue"}
    # before the deadline nothing counts; after it, three requests unanswered
    with desk.store.read() as s:
        before = registry.registry(s, "不答复", today=asked + dt.timedelta(days=1))[0]
    entry = desk.merchants.registry("不答复")[0]
    assert (before.response_rate, before.score, before.level) == (None, 94, "A")
    assert (entry.replies_on_time, entry.replies_asked, entry.response_rate) == (0, 3, 0.0)
    assert (entry.score, entry.level) == (85, "B")  # 100 - 3 x 2 - 3 x 3
    # a late reply is recorded with its date and stays late
    code, out, err = cli("case", "merchant-reply", numbers[0], "--text", "同意换货", "--json")
    assert code == 0, err
    assert json.loads(out)["merchant_reply"]["on_time"] is False
    code, out, _ = cli("due", "--json")
    assert {i["case_no"] for i in json.loads(out)["items"] if i["group"] == "merchant_reply"} == set(numbers[1:])
    code, _, err = cli("case", "merchant-reply", numbers[1], "--text", "x", "--at", _received(45))
    assert code == 1 and "【at】" in err
    # a new complaint asked and answered today: on time
    fresh = desk.cases.add(complaint_before(0, merchant=merchant))["case_no"]
    desk.merchant_requests.notice_pdf(fresh)
    code, out, _ = cli("case", "merchant-reply", fresh, "--text", "已与消费者协商退款", "--json")
    assert json.loads(out)["merchant_reply"]["on_time"] is True
    entry = desk.merchants.registry("不答复")[0]
    assert (entry.replies_on_time, entry.replies_asked, entry.response_rate) == (1, 4, 25.0)
    assert (entry.score, entry.level) == (83, "B")  # 100 - 4 x 2 - 3 x 3
    code, out, _ = cli("case", "show", numbers[0], "--json")
    shown = json.loads(out)
    assert shown["deadlines"]["merchant_reply"]["level"] == "done"
    assert any(e["action"] == "merchant_reply" and "同意换货" in e["note"] for e in shown["events"])
    # reprinting keeps the first deadline
    desk.merchant_requests.notice_pdf(numbers[2])
    assert desk.merchant_requests.status(numbers[2])["due"] == reply["due"]


def test_merchant_request_refusals(desk, cli, tmp_path):
    no = desk.cases.add(complaint(kind="consultation", demands=[], facts="咨询退货。"))
    code, _, err = cli("print", "merchant-request", no["case_no"], "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "【kind】" in err and not (tmp_path / "x.pdf").exists()
    other = desk.cases.add(complaint())["case_no"]
    code, _, err = cli("case", "merchant-reply", other, "--text", "好的")
    assert code == 1 and "尚未告知经营者" in err


@pytest.mark.parametrize("requests, score, level", [
    ([], 100, "A"),
    ([ReplyRecord(TODAY, TODAY + dt.timedelta(days=3), None)], 100, "A"),               # still within its deadline
    ([ReplyRecord(TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=6), None)] * 2, 94, "A"),  # 2 x -3
    ([ReplyRecord(TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=6), TODAY)] * 4, 88, "B"),  # late
    ([ReplyRecord(TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=6), TODAY - dt.timedelta(days=7))] * 5,
     100, "A"),                                                                          # on time
    ([ReplyRecord(TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=386), None)] * 5, 100, "A"),  # too old
])
def test_credit_level_counts_unanswered_requests(requests, score, level):
    result = credit_level([], [], 0, TODAY, requests)
    assert (result.score, result.level) == (score, level)


# --- disclosure poster ---------------------------------------------------------------------------

def test_disclosure_figures_match_counts_made_here(desk, cli, tmp_path):
    start = (dt.datetime.now(LOCAL_TZ) - dt.timedelta(days=30)).date()
    plan = {  # merchant -> list of (outcome, advance, reply)
        "一号店（虚构）": [("resolved", True, "on_time"), ("resolved", False, None), ("failed", False, "late"),
                      ("open", False, None), ("not_accepted", False, None)],
        "二号店（虚构）": [("resolved", False, "on_time"), ("terminated", False, None)],
        "三号店（虚构）": [("open", False, "on_time"), ("open", False, None), ("resolved", True, None),
                      ("failed", False, None), ("resolved", False, None), ("resolved", False, None)],
    }
    desk.cases.add(complaint_before(60, merchant={"name": "四号店（虚构）"}))  # before the period
    for name, cases_ in plan.items():
        for outcome, advance, reply in cases_:
            no = desk.cases.add(complaint_before(20, merchant={"name": name}))["case_no"]
            if reply:
                desk.merchant_requests.notice_pdf(no, at=_received(19))
                desk.merchant_requests.reply(no, "已处理", at=_received(18 if reply == "on_time" else 1))
            if outcome == "not_accepted":
                desk.cases.move(no, "not_accepted", reason_code="time_barred", at=_received(19))
                continue
            if outcome == "open":
                continue
            desk.cases.move(no, "accepted", at=_received(19))
            if outcome == "terminated":
                desk.cases.move(no, "terminated", reason_code="absent_or_refused", at=_received(17))
                continue
            desk.cases.mediate(no, "on_site", ["consumer", "merchant"], note="现场调解", at=_received(18))
            kw = {"terms": "退款", "amount_recovered": "10.00"} if outcome == "resolved" else {"reason": "未达成"}
            desk.cases.move(no, outcome, at=_received(17), **kw)
            if advance:
                desk.cases.record_advance(no, "99.00", "商场")
    lines = {x["name"]: x for x in desk.disclosure.lines(start, TODAY)}
    assert list(lines) == ["三号店（虚构）", "一号店（虚构）", "二号店（虚构）"]  # by complaints; 四号店 not in period
    expected = {}
    for name, cases_ in plan.items():
        counted = [c for c in cases_ if c[0] != "not_accepted"]
        mediated = [c for c in counted if c[0] in ("resolved", "failed", "terminated")]
        resolved = [c for c in counted if c[0] == "resolved"]
        asked = [c for c in cases_ if c[2]]
        on_time = [c for c in asked if c[2] == "on_time"]
        expected[name] = (len(counted), len(mediated), round(100 * len(resolved) / len(mediated), 1),
                          sum(1 for c in counted if c[1]), len(on_time), len(asked))
    for name, (n, med, rate, adv, ok, asked) in expected.items():
        x = lines[name]
        assert (x["complaints"], x["mediated"], x["success_rate"], x["advance_paid"], x["replies_on_time"],
                x["replies_asked"]) == (n, med, rate, adv, ok, asked), name
    for size, width in (("A4", 595), ("A3", 842)):
        out = tmp_path / f"disclosure-{size}.pdf"
        code, _, err = cli("print", "disclosure", "--from", start.isoformat(), "--to", TODAY.isoformat(), "-o",
                           str(out), "--size", size)
        assert code == 0, err
        pdf = out.read_bytes()
        assert round(float(PdfReader(out).pages[0].mediabox.width)) == width
        assert fonts_not_embedded(pdf) == []
        text = body(pdf)
        assert "投诉信息公示" in text and "统计说明" in text
        assert text.index("三号店") < text.index("一号店") < text.index("二号店") and "四号店" not in text
        assert "王某兰" not in text and "王*兰" not in text and "139" not in text
    code, _, err = cli("print", "disclosure", "--from", TODAY.isoformat(), "--to", start.isoformat(), "-o",
                       str(tmp_path / "x.pdf"))
    assert code == 1 and "【to】" in err


def _resigned(src, dst, key_dir, monkeypatch, manifest=None, members=None):
    """A copy of a package whose manifest (or members) are replaced and signed again with the point's own
    key: what a trusted point, or someone holding its key, could send."""
    import base64

    monkeypatch.setenv("LIAISON_KEY_DIR", str(key_dir))
    key = point_key.signing_key()
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts.update(members or {})
    if manifest is not None:
        parts["manifest.json"] = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
        parts["manifest.sig"] = base64.b64encode(point_key.sign(key, parts["manifest.json"])) + b"\n"
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, content in parts.items():
            z.writestr(n, content)
    return dst


def test_hostile_packages_are_refused_one_by_one_and_the_rest_merge(three_points, cli, tmp_path, monkeypatch):
    """Deep nesting, a number for a key, lists for objects, a member that inflates to 64 MB and a point
    signing under another point's name each end in a named refusal; the good package still merges
    (before, five such packages ended the whole merge with exit 3)."""
    a, b, c = three_points
    with zipfile.ZipFile(a["package"]) as z:
        signed = json.loads(z.read("manifest.json"))
    hostile = {
        "deep.zip": b"[" * 100_000 + b"]" * 100_000,
        "number-key.zip": {**signed, "public_key": 5},
        "list.zip": [signed],
        "files-list.zip": {**signed, "files": ["package.json"]},
    }
    paths = [str(_resigned(a["package"], tmp_path / name, a["key_dir"], monkeypatch, manifest))
             for name, manifest in hostile.items()]
    with zipfile.ZipFile(a["package"]) as z:  # 甲's key signing a package in 乙's name
        data = json.loads(z.read("package.json"))
    data["point"]["name"] = b["desk"].settings.all()["point.name"]
    forged = json.dumps(data, ensure_ascii=False).encode()
    files = {**signed["files"], "package.json": {**signed["files"]["package.json"],
                                                 "sha256": council._sha(forged)}}
    paths.append(str(_resigned(a["package"], tmp_path / "another-name.zip", a["key_dir"], monkeypatch,
                               {**signed, "files": files, "point": {**signed["point"], "name": data["point"]["name"]}},
                               members={"package.json": forged})))
    paths.append(str(_resigned(a["package"], tmp_path / "bomb.zip", a["key_dir"], monkeypatch,
                               members={"package.json": b"0" * (64 * 1024 * 1024)})))
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "keys-council"))
    code, out, err = cli("council", "merge", *paths, str(c["package"]), "--json")
    assert code == 1, err
    assert [p["name"] for p in json.loads(out)["points"]] == [c["desk"].settings.all()["point.name"]]
    refused = err.strip().splitlines()
    assert len(refused) == len(paths) and all("【file】" in line for line in refused), err
    for name in (*hostile, "bomb.zip", "another-name.zip"):
        assert any(name in line for line in refused), name
    assert "过大" in next(line for line in refused if "bomb.zip" in line)
    assert "不能为另一个联络点报送" in next(line for line in refused if "another-name.zip" in line)


def test_a_point_with_a_new_key_is_one_point(three_points, cli, tmp_path, monkeypatch):
    """A moved point whose old and new keys are both trusted (as a council does while the point moves)
    is counted once."""
    a, b, _c = three_points
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "keys-甲-new"))
    new_keys = a["desk"].council.keys()  # a new key made on the new computer
    again = tmp_path / "甲-again.zip"
    again.write_bytes(a["desk"].council.package(MONTH))
    key_file = tmp_path / "甲-new.pub"
    key_file.write_text(a["desk"].council.key_file_text(new_keys), encoding="utf-8")
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "keys-council"))
    assert cli("council", "trust", str(key_file))[0] == 0
    code, out, err = cli("council", "merge", str(a["package"]), str(again), str(b["package"]), "--json")
    assert code == 1 and "同一联络点" in err and "甲-again.zip" in err
    assert len(json.loads(out)["points"]) == 2
