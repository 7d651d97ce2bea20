"""The `liaison` command checked as a point would use it, in a folder whose name has Chinese characters and a space:
init, case add, case list, print receipt, report monthly, settings, export (.xlsx, and .csv that Excel on a
Chinese Windows opens: UTF-8 with BOM), backup, restore. Run by .ci/windows-check with the Windows Python under
wine (source: `python.exe -m app`; installed: `liaison.exe`) and with Linux's Python for the .deb (`liaison`).

    python cli_check.py --dir "C:\\联络点 数据\\source" -- python.exe -m app

On Windows it also checks that the data key went to Windows' credential store (keyring), not to a key file.
Exit 0 when every step passed; each step prints one line with its time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

CASE = {"kind": "complaint", "consumer": {"name": "王某兰", "phone": "19900001234"},
        "merchant": {"name": "演示店（演示）"}, "category": "appliances", "nature": "quality",
        "product": "电热水壶", "facts": "底座漏电，插电后外壳带电", "demands": ["refund"]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True, help="work folder (created; Chinese characters and a space)")
    parser.add_argument("command", nargs="+", help="how to call liaison, e.g. liaison.exe or python.exe -m app")
    args = parser.parse_args()
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "案件库.db"
    month = dt.date.today().strftime("%Y-%m")
    started = time.monotonic()

    def run(*cli: str, stdin: str | None = None) -> str:
        t = time.monotonic()
        done = subprocess.run([*args.command, "--db", str(db), *cli], input=stdin.encode() if stdin else None,
                              capture_output=True, timeout=600)
        out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
        if done.returncode != 0:
            raise SystemExit(f"FAILED (exit {done.returncode}): liaison {' '.join(cli)}\n{out[-2000:]}\n{err[-4000:]}")
        print(f"  ok {time.monotonic() - t:5.1f} s  liaison {' '.join(cli)}", flush=True)
        return out

    help_text = subprocess.run([*args.command, "--help"], capture_output=True, timeout=300)
    assert help_text.returncode == 0 and b"case" in help_text.stdout, help_text.stderr[-2000:]
    print("  ok liaison --help", flush=True)

    run("init")
    case_no = json.loads(run("--json", "case", "add", stdin=json.dumps(CASE, ensure_ascii=False)))["case_no"]
    listed = json.loads(run("--json", "case", "list"))
    assert [c["case_no"] for c in listed] == [case_no], listed
    shown = json.loads(run("--json", "case", "show", case_no))
    assert shown["consumer"]["name"] == CASE["consumer"]["name"], shown["consumer"]  # decrypted with the data key

    receipt = work / "回执 1.pdf"
    run("print", "receipt", case_no, "-o", str(receipt))
    monthly = work / f"月度 汇总 {month}.pdf"
    run("report", "monthly", month, "-o", str(monthly))
    for pdf in (receipt, monthly):
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000, pdf

    run("settings", "point.name", "城关 消费维权联络点")
    assert json.loads(run("--json", "settings", "point.name")) == {"point.name": "城关 消费维权联络点"}

    xlsx = work / "导出 台账.xlsx"
    run("export", "-o", str(xlsx))
    with zipfile.ZipFile(xlsx) as book:
        sheet = " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/"))
    assert case_no in sheet and "演示店（演示）" in sheet, "the .xlsx export lacks the case"
    csv = work / "导出 台账.csv"
    run("export", "-o", str(csv))
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a .csv without BOM: Excel on a Chinese Windows reads it as GBK"
    text = raw.decode("utf-8-sig")
    assert case_no in text and "演示店（演示）" in text and "电热水壶" in text, text[:300]

    backup = work / "备份 1.ldbk"
    run("backup", "-o", str(backup))
    second = json.loads(run("--json", "case", "add", stdin=json.dumps(CASE, ensure_ascii=False)))["case_no"]
    assert second != case_no
    run("restore", str(backup))
    after = [c["case_no"] for c in json.loads(run("--json", "case", "list"))]
    assert after == [case_no], after  # the backup's state: the case added after it is gone
    assert list(work.glob("案件库.before-restore-*.db")), "restore keeps the replaced database aside"
    run("--json", "due")

    if sys.platform == "win32":
        import keyring
        from platformdirs import user_config_dir, user_data_dir

        backend = keyring.get_keyring()
        assert type(backend).__name__ == "WinVaultKeyring", backend
        cred = backend.get_credential("liaison-desk", None)
        assert cred is not None and len(cred.password.replace("-", "").replace(" ", "")) >= 50, "no key in the store"
        keys = Path(user_config_dir("liaison-desk", appauthor=False)) / "keys"
        assert not any(keys.glob("*.key")), f"a key file in {keys}: the credential store was not used"
        print(f"  ok data key in Windows' credential store ({type(backend).__name__}); data folder "
              f"{user_data_dir('liaison-desk', appauthor=False)}", flush=True)
    print(f"cli check ok ({time.monotonic() - started:.0f} s, {case_no}, folder {work})", flush=True)
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
    raise SystemExit(main())
