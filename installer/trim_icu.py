"""A smaller ICU data library for the Linux bundle: Qt's ICU (PySide6/Qt/lib/libicudata.so.NN, 32 MB) keeps
what a Chinese desk can reach and drops the rest: locale data other than root, English and Chinese, the
converters other than the Chinese and Latin ones, and transliteration. Qt on Windows does not ship ICU, so this runs on Linux only.

The library is one exported symbol, icudt<NN>_dat, holding an ICU .dat package: it is cut out of the file,
trimmed with ICU's own `icupkg` (apt package icu-devtools) and linked back into a library of the same name
with `gcc`. Used by build_installer.spec; without icupkg or gcc the original library is kept.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

KEEP_LOCALES = re.compile(r"^(root|pool|res_index|en|en_001|en_US|en_US_POSIX|yue|zh(_[A-Za-z]+)*)\.res$")
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")  # de.res, de_.res, zh_Hans_CN.res (not supplementalData.res)
KEEP_CONVERTERS = ("gb18030", "windows-936", "ibm-1383", "ibm-1386", "ibm-5478", "windows-950", "ibm-950",
                   "ibm-1373", "ibm-1375", "ibm-1252", "ibm-5348", "iso-8859_")
DROP_DIRS = ("translit/",)


def dropped(item: str) -> bool:
    """Whether an item of the package (e.g. 'coll/de.res', 'ibm-37_P100-1995.cnv') goes."""
    folder, _, name = item.rpartition("/")
    if item.startswith(DROP_DIRS):
        return True
    if name.endswith(".cnv"):
        return not name.startswith(KEEP_CONVERTERS)
    return bool(LOCALE.match(name)) and not KEEP_LOCALES.match(name)


def trim(library: Path, work: Path) -> Path | None:
    """A trimmed copy of `library` in `work` (the same file name), or None when the tools are missing."""
    if not (shutil.which("icupkg") and shutil.which("gcc")):
        return None
    work.mkdir(parents=True, exist_ok=True)
    symbol = _data_symbol(library)
    data = library.read_bytes()
    start, size = _symbol_span(library, symbol)
    package = work / f"{symbol[:-4]}l.dat"  # icudt73l.dat: the little-endian package's own name
    package.write_bytes(data[start:start + size])
    items = subprocess.run(["icupkg", "-l", str(package)], capture_output=True, text=True, check=True).stdout.split()
    drop = work / "drop.txt"
    drop.write_text("\n".join(i for i in items if dropped(i)) + "\n")
    subprocess.run(["icupkg", "-r", str(drop), str(package)], check=True, capture_output=True)
    source = work / "icudata.S"
    source.write_text(f'.section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n{symbol}:\n'
                      f'.incbin "{package}"\n.size {symbol}, .-{symbol}\n.section .note.GNU-stack,"",@progbits\n')
    out = work / library.name
    subprocess.run(["gcc", "-shared", "-nostdlib", "-o", str(out), str(source), f"-Wl,-soname,{library.name}"],
                   check=True, capture_output=True)
    return out


def _data_symbol(library: Path) -> str:
    names = subprocess.run(["nm", "-D", "--defined-only", str(library)], capture_output=True, text=True,
                           check=True).stdout.split()
    return next(n for n in names if re.fullmatch(r"icudt\d+_dat", n))


def _symbol_span(library: Path, symbol: str) -> tuple[int, int]:
    """File offset and size of the symbol (it sits in .rodata, whose address and offset readelf gives)."""
    rows = subprocess.run(["nm", "-D", "-S", str(library)], capture_output=True, text=True, check=True).stdout
    address, size = next((int(a, 16), int(s, 16)) for a, s, _t, n in (r.split() for r in rows.splitlines()
                                                                     if len(r.split()) == 4) if n == symbol)
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], capture_output=True, text=True, check=True).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".rodata":
            section_address, section_offset = int(fields[3], 16), int(fields[4], 16)
            return address - section_address + section_offset, size
    raise RuntimeError(f"{library}: no .rodata")


if __name__ == "__main__":
    import sys

    made = trim(Path(sys.argv[1]), Path(sys.argv[2]))
    print(made, made.stat().st_size if made else "")
