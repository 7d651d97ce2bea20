"""Hostile input to intake, import and every command: a clear message, exit 1, the database unchanged, no traceback."""
import json
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import FieldError, InputError
from tests.conftest import complaint

pytestmark = pytest.mark.sqlite_only

HOSTILE_TEXT = ["\ud800", "a\x00b", "\u2028行分隔\u2029", "9999-12-31", "0001-01-01", "9999-12-31T23:59:59+08:00",
                "0001-01-01T00:00:00+14:00", "1" * 5000, "-0", "NaN", "1e999", "=HYPERLINK(\"http://x\")", "x" * 20000]
texts = st.text(max_size=40) | st.sampled_from(HOSTILE_TEXT)
leaves = (st.none() | st.booleans() | st.integers() | st.just(int("9" * 4000)) | st.floats() | texts)
values = st.recursive(leaves, lambda c: st.lists(c, max_size=3) | st.dictionaries(texts, c, max_size=3), max_leaves=8)
FIELDS = ["kind", "channel", "received_at", "consumer", "merchant", "category", "nature", "product", "brand",
          "purchase_date", "purchase_channel", "amount_paid", "amount_claimed", "facts", "demands", "state",
          "fast_track", "amount_recovered", "advance_paid", "unknown_field"]
SUB = {"consumer": ["name", "phone", "id_number", "address", "group", "consent_to_share"],
       "merchant": ["name", "uscc", "shop_no", "phone", "address"]}


@st.composite
def hostile_cases(draw):
    data = complaint()
    for _ in range(draw(st.integers(1, 3))):
        f = draw(st.sampled_from(FIELDS))
        if f in SUB and draw(st.booleans()):
            base = data[f] if isinstance(data[f], dict) else {}
            data[f] = {**base, draw(st.sampled_from(SUB[f])): draw(values)}
        else:
            data[f] = draw(values)
    return data


def _fingerprint(db: str) -> tuple:
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("cases", "consumers", "events", "merchants", "settings"))
    finally:
        conn.close()


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hostile_cases())
def test_intake_takes_or_refuses_any_value_but_never_crashes(desk, data):
    before = _fingerprint(desk.store.url.database)
    try:
        case = desk.cases.add(data)
    except (InputError, FieldError) as e:
        assert str(e) and "【" in str(e)
        assert _fingerprint(desk.store.url.database) == before
    else:
        assert desk.cases.show(case["case_no"]).as_json()["case_no"] == case["case_no"]


def _hostile_paths(tmp_path: Path) -> list[str]:
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.jsonl"
    os.symlink(loop, loop)
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    return [str(fifo), str(loop), str(folder), str(tmp_path / "no" / "such" / "x.pdf"), "/dev/full",
            "1" * 5000, ""]


ARGS = ["\udcff\udcfe", "9999-12-31", "0001-01-01", "1" * 5000, "-1", "0", "\u2028", " ", "a" * 100000, "%s", "{}",
        "2026-13-45", "9999-12", "0000-00"]
# The test run tries these on every command; LIAISON_FUZZ_FULL=1 tries all of ARGS (slower).
QUICK_ARGS = ["\udcff\udcfe", "9999-12-31", "1" * 5000, "a" * 100000]
TEMPLATES = [
    ["case", "show", "{}"], ["case", "list", "--limit", "{}"], ["case", "list", "--from", "{}"],
    ["case", "move", "CASE", "accepted", "--at", "{}"], ["case", "move", "{}", "accepted"],
    ["case", "move", "CASE", "resolved", "--amount-recovered", "{}", "--terms", "{}", "--remedy", "refund"],
    ["case", "pause", "CASE", "--reason", "{}", "--at", "{}"], ["case", "resume", "CASE", "--at", "{}"],
    ["case", "mediate", "CASE", "--mode", "phone", "--with", "consumer", "--offer", "{}", "--at", "{}"],
    ["case", "follow-up", "CASE", "--satisfaction", "satisfied", "--note", "{}"],
    ["case", "reopen", "CASE", "--reason", "{}"], ["case", "correct", "CASE", "--reason", "{}"],
    ["case", "correct", "{}", "--reason", "x"], ["case", "handover", "CASE", "--to", "{}", "--note", "{}"],
    ["case", "advance", "CASE", "--amount", "{}", "--payer", "{}", "--recovered-on", "{}"],
    ["search", "{}"], ["search", "x", "--limit", "{}"], ["deadline", "--received", "{}"], ["deadline", "--accepted", "{}"],
    ["print", "receipt", "CASE", "-o", "{}"], ["print", "tip", "{}", "-o", "OUT/t.pdf"], ["print", "bulletin", "-o", "{}"],
    ["print", "referral", "--from", "{}", "--to", "{}", "-o", "OUT/r.pdf"],
    ["settings", "{}"], ["settings", "point.name", "{}"], ["settings", "deadline.follow_up_days", "{}"],
    ["settings", "fast_track.threshold", "{}"], ["settings", "backup.folder", "{}"],
    ["settings", "privacy.retention_years", "{}"], ["calc", "punitive", "--price", "{}"],
    ["calc", "punitive", "--price", "10", "--loss", "{}"], ["calc", "limitation", "--known", "{}"],
    ["calc", "return", "--channel", "online", "--received", "{}"], ["report", "monthly", "{}", "--json"],
    ["report", "monthly", "2026-11", "-o", "{}"], ["import", "{}"], ["export", "-o", "{}"],
    ["export", "-o", "OUT/e.xlsx", "--from", "{}"], ["audit", "--from", "{}"], ["backup", "-o", "{}"],
    ["restore", "{}"], ["purge", "--closed-before", "{}", "--dry-run"], ["key", "export", "-o", "{}"],
    ["key", "import", "{}"], ["demo", "--cases", "{}"],
]


def test_every_command_refuses_hostile_arguments_cleanly(cli, tmp_path, desk, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an output name like "9999-12-31" that is accepted lands here
    args = ARGS if os.environ.get("LIAISON_FUZZ_FULL") else QUICK_ARGS
    code, out, err = cli("case", "add", "--json", stdin=json.dumps(complaint()))
    case_no = json.loads(out)["case_no"]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (tmp_path / "p").mkdir()
    paths = _hostile_paths(tmp_path / "p")
    tried = 0
    for template in TEMPLATES:
        takes_path = template[0] in ("import", "restore", "export", "backup", "key", "print", "report")
        for value in (args + paths) if takes_path else args:
            if template[0] == "demo" and value not in ("-1", "1" * 5000, "a" * 100000):
                continue  # a demo of some thousand cases is a valid request, and slow
            args = [value if a == "{}" else case_no if a == "CASE" else a.replace("OUT", str(out_dir))
                    for a in template]
            before = _fingerprint(desk.store.url.database)
            code, out, err = cli(*args)
            tried += 1
            assert code in (0, 1, 2), (args, code, err)
            assert "Traceback" not in err, (args, err)
            if code != 0:
                assert err.strip(), args
                if code == 1:
                    assert "【" in err, (args, err)  # the field is named
                if template[0] not in ("settings",):  # a refused settings change writes nothing either
                    assert _fingerprint(desk.store.url.database)[:3] == before[:3], args
    assert tried > 200
    print(f"tried {tried} command lines")


STDIN = [b'{"kind": "complaint", "kind": "consultation"}', b"[" * 100_000 + b"]" * 100_000, b'{"amount_paid": ' +
         b"9" * 5000 + b"}", b'{"facts": "\\ud800"}', b"\xff\xfe\x00bad", b'{"facts": NaN}', b"null", b"[]",
         b'"text"', b"", b'{"consumer": {"name": {"deep": [1, {"x": []}]}}}', b'{"received_at": "0001-01-01T00:00:00+14:00"}',
         b'{"purchase_date": "9999-12-31"}', b'{"facts": "a\\u0000b"}']


def test_case_add_refuses_hostile_stdin(tmp_path, db_url, monkeypatch, capsys):
    import io
    import sys

    from app.cli import main

    monkeypatch.setenv("LIAISON_DB", db_url)
    for raw in STDIN:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
        code = main(["case", "add"])
        _out, err = capsys.readouterr()
        assert code == 1 and "【" in err and "Traceback" not in err, (raw[:40], err)


def _write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_import_of_hostile_files_names_the_row_and_changes_nothing(cli, tmp_path, desk):
    good = json.dumps(complaint(), ensure_ascii=False).encode()
    files = {
        "dup": _write_lines(tmp_path / "dup.jsonl", [good, b'{"kind": "complaint", "kind": "report"}']),
        "deep": _write_lines(tmp_path / "deep.jsonl", [good, b"[" * 50_000 + b"]" * 50_000]),
        "bignum": _write_lines(tmp_path / "n.jsonl", [good, b'{"amount_paid": ' + b"9" * 5000 + b"}"]),
        "bytes": _write_lines(tmp_path / "b.jsonl", [good, b'{"facts": "\xff\xfe"}']),
        "surrogate": _write_lines(tmp_path / "s.jsonl", [good, b'{"facts": "\\udc00"}']),
        "nul": _write_lines(tmp_path / "nul.jsonl", [good, b'{"facts": "a\\u0000b"}']),
        "dates": _write_lines(tmp_path / "d.jsonl", [good, json.dumps(complaint(received_at="9999-12-31T00:00:00+08:00",
                                                                                purchase_date="0001-01-01")).encode()]),
        "array": _write_lines(tmp_path / "a.jsonl", [good, b"[1, 2]"]),
        "long": _write_lines(tmp_path / "l.jsonl", [good, b'{"facts": "' + b"x" * 2_000_000 + b'"}']),
        "csv-bytes": _write_lines(tmp_path / "c.csv", ["消费者姓名,事实".encode(), b"\xff\xfe\xfd,\x81\x30"]),
        "xlsx-junk": _write_lines(tmp_path / "j.xlsx", [os.urandom(2000)]),
        "empty": _write_lines(tmp_path / "e.jsonl", []),
    }
    before = _fingerprint(desk.store.url.database)
    for what, path in files.items():
        code, _out, err = cli("import", str(path))
        assert code == 1 and "Traceback" not in err, (what, err)
        assert "【" in err or "第" in err, (what, err)
    assert _fingerprint(desk.store.url.database) == before
    code, _out, err = cli("import", str(files["dup"]))
    assert "第2行" in err and "kind" in err


def test_import_stops_after_a_thousand_errors(desk, tmp_path):
    from app.ledger import exchange

    path = _write_lines(tmp_path / "bad.jsonl", [b'{"kind": 1}'] * 5000)
    with pytest.raises(exchange.ImportRejected) as refused:
        desk.ledger.import_file(path)
    rows = refused.value.rows
    assert len(rows) == exchange.MAX_ERRORS + 1 and "其余行未检查" in rows[-1].message
    assert rows[-1].row < 200  # reading stopped there, long before the 5,000th line


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.binary(max_size=60) | st.builds(lambda v: json.dumps(v).encode(), values), min_size=1,
                      max_size=4))
def test_any_jsonl_bytes_import_or_are_refused(desk, tmp_path, lines):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b"\n".join(lines))
    before = _fingerprint(desk.store.url.database)
    try:
        desk.ledger.import_file(path)
    except (InputError, FieldError):
        assert _fingerprint(desk.store.url.database) == before


def test_case_correct_refuses_hostile_stdin(desk, db_url, monkeypatch, capsys):
    import io
    import sys

    from app.cli import main

    monkeypatch.setenv("LIAISON_DB", db_url)
    case_no = desk.cases.add(complaint())["case_no"]
    before = desk.cases.show(case_no).as_json()
    for raw in STDIN + [b'{"case_no": "x"}', b'{"consumer": []}', b'{"state": "closed"}', b'{"acceptance_due": null}',
                        b'{"consumer": {"phone": "12345"}}', b'{"merchant": {"uscc": "\\u2028"}}', b"{}"]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
        code = main(["case", "correct", case_no, "--reason", "核对"])
        _out, err = capsys.readouterr()
        assert code == 1 and "【" in err and "Traceback" not in err, (raw[:40], err)
    assert desk.cases.show(case_no).as_json() == before


@pytest.mark.skipif(os.name == "nt", reason="devices, FIFOs and /proc are POSIX")
def test_files_that_never_end_or_are_not_files_are_refused_before_reading(cli, desk, tmp_path):
    """Every file a command reads is a regular file read with a size limit: /dev/zero, a FIFO nobody
    writes to, a name over 255 bytes and special outputs end in exit 1 with the field named (before:
    /dev/zero was read to 2.3 GB, a FIFO hung, long names and /proc/self/mem exited 3)."""
    no = desk.cases.add(complaint())["case_no"]
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    long_name = str(tmp_path / ("长" * 100 + ".jpg"))  # 300 bytes in UTF-8
    for args in (("attach", no, "/dev/zero"), ("attach", no, str(fifo)), ("attach", no, long_name),
                 ("council", "trust", "/dev/zero"), ("council", "trust", str(fifo)),
                 ("council", "merge", "/dev/zero", "--json"), ("council", "merge", str(fifo), "--json"),
                 ("holidays", "set", "2027", "--file", "/dev/zero"), ("holidays", "set", "2027", "--file", str(fifo)),
                 ("export", "-o", "/proc/self/mem"), ("export", "-o", "/dev/full")):
        code, out, err = cli(*args)
        assert code == 1 and "【" in err and "Traceback" not in err, (args, code, err)
    assert desk.attachments.list(no) == []


def test_a_file_larger_than_its_limit_is_refused_unread(tmp_path):
    from app.core import files

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(FieldError, match="太大"):
        files.read_limited(big, 1000)
    assert files.read_limited(big, 2000) == b"x" * 2000
