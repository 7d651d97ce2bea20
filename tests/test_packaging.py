"""`pip install .` (not only -e) must carry the fonts, rule sets, texts and migrations."""
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_resources_and_migrations(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT),
                    "-w", str(tmp_path)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT / "resources").rglob("*") if p.is_file()
               and "__pycache__" not in p.parts}
    shipped |= {str(p.relative_to(ROOT)) for p in (ROOT / "app" / "migrations").rglob("*") if p.is_file()
                and "__pycache__" not in p.parts}
    assert shipped <= names, sorted(shipped - names)


def test_smoke_test_opens_the_window_and_starts_the_audit_check_s_own_process(tmp_path):
    """What the bundle script runs in a built bundle, here on the source: exit 0 once the window showed its
    list and the audit check came back from a process of its own (the spawn a frozen exe must manage)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "ui.main", "--smoke-test"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("smoke test ok")
    assert not list(tmp_path.iterdir()) or all(p.name.startswith(".") for p in tmp_path.iterdir())  # nothing left


def _trim_icu():
    import importlib.util

    loader = importlib.util.spec_from_file_location("trim_icu", ROOT / "installer" / "trim_icu.py")
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return module


def test_the_bundle_s_icu_data_keeps_root_english_chinese_and_their_converters():
    dropped = _trim_icu().dropped
    for kept in ("root.res", "zh.res", "zh_Hans_CN.res", "coll/zh.res", "zone/zh_Hant.res", "en_US.res",
                 "supplementalData.res", "likelySubtags.res", "gb18030.cnv", "windows-936-2000.cnv",
                 "ibm-1386_P100-2001.cnv", "brkitr/cjdict.dict", "brkitr/line.brk", "uprops.icu", "coll/root.res"):
        assert not dropped(kept), kept
    for gone in ("de.res", "coll/de_.res", "zone/ja.res", "unit/fr_CA.res", "translit/root.res",
                 "ibm-37_P100-1995.cnv", "euc-jp-2007.cnv"):
        assert dropped(gone), gone


def test_the_trimmed_icu_library_still_sorts_chinese_by_pinyin(tmp_path):
    """Qt loaded with the trimmed library in place of its own (LD_PRELOAD): ICU answers as before for Chinese,
    and the library is under a third of the size."""
    import shutil

    import pytest
    if not (shutil.which("icupkg") and shutil.which("gcc")):
        pytest.skip("icupkg and gcc are not here (.ci/setup installs them)")
    import PySide6

    original = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    made = _trim_icu().trim(original, tmp_path)
    assert made is not None and made.stat().st_size < original.stat().st_size / 3
    probe = ("from PySide6.QtCore import QCollator, QLocale, QTimeZone, QDateTime\n"
             "c = QCollator(QLocale('zh_CN'))\n"
             "print(' '.join(sorted(['张三', '李四', '王五', '阿明', '赵六'], key=c.sortKey)))\n"
             "print(QTimeZone(b'Asia/Shanghai').displayName(QDateTime.currentDateTime(), QTimeZone.LongName,"
             " QLocale('zh_CN')))\n")
    env = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "LD_PRELOAD": str(made)}
    answer = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr[-1000:]
    assert answer.stdout.split("\n")[:2] == ["阿明 李四 王五 张三 赵六", "中国标准时间"]


def test_the_desk_starts_without_a_system_time_zone_database(tmp_path):
    """Windows has no time-zone database: app/core/clock.py's ZoneInfo("Asia/Shanghai") is answered by the tzdata
    package (a dependency) alone. PYTHONTZPATH names an empty folder, so the system's zoneinfo is not searched;
    the command starts, creates a database and tells today's date in Beijing."""
    import zoneinfo

    empty = tmp_path / "no-zoneinfo"
    empty.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "PYTHONTZPATH": str(empty),
           "LIAISON_DATA_DIR": str(tmp_path / "data"), "LIAISON_KEY_DIR": str(tmp_path / "keys"),
           "LIAISON_KEYRING": "off", "TZ": "UTC"}
    probe = ("import sys, zoneinfo\n"
             f"assert zoneinfo.TZPATH == ({str(empty)!r},), zoneinfo.TZPATH\n"
             "{block}"
             "from app.cli import main\n"
             "code = main(sys.argv[1:])\n"
             "from app.core import clock\n"
             "print('today', clock.today().isoformat(), clock.LOCAL_TZ.key)\n"
             "raise SystemExit(code)\n")
    db = str(tmp_path / "时区 测试.db")

    def run(args, block=""):
        return subprocess.run([sys.executable, "-c", probe.replace("{block}", block), *args], env=env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)

    for args in (["--help"], ["--db", db, "init"], ["--db", db, "case", "list"]):
        done = run(args)
        assert done.returncode == 0, (args, done.stderr[-2000:])
        assert "today 20" in done.stdout and "Asia/Shanghai" in done.stdout, done.stdout[-500:]
    # The control: without the tzdata package the same start fails, so the run above used nothing else.
    blocked = run(["--help"], block="sys.modules['tzdata'] = None\n")
    assert blocked.returncode != 0 and "ZoneInfoNotFoundError" in blocked.stderr, blocked.stderr[-1000:]
    assert zoneinfo.available_timezones()  # this process's own view is untouched


def test_tzdata_and_the_windows_qt_pin_are_dependencies():
    """pip on Windows installs tzdata, and a PySide6 below 6.10 (6.10+ need icu.dll, Windows 10 1903+)."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.split(">")[0].strip() == "tzdata" and ";" not in d for d in deps), deps
    from packaging.requirements import Requirement

    for dep in deps:
        req = Requirement(dep)
        if req.name.lower() == "pyside6-essentials" and req.marker and req.marker.evaluate(
                {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"}):
            assert not req.specifier.contains("6.10.0") and req.specifier.contains("6.9.3"), dep
            break
    else:
        raise AssertionError(f"no Windows-only PySide6 pin in {deps}")
