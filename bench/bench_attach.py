"""Attaching ten 5 MB photos in the case window: total time (target ≤ 2 s) and the window staying responsive.

A 10 ms heartbeat timer runs on the UI thread while the photos are read, checked, hashed, thumbnailed,
sealed and stored (in the background); its longest gap is how long the window could not react. References
measured in the same run: the heartbeat's gap while idle, and the same files attached with no window at all.

Run: .venv/bin/python bench/bench_attach.py [--photos 10] [--mb 5]
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def photo(mb: float, seed: int) -> bytes:
    """A camera-like JPEG of about `mb` MB: a noisy 4000x3000 picture (noise does not compress)."""
    import random

    from PIL import Image

    rnd = random.Random(seed)
    small = Image.frombytes("RGB", (1000, 750), rnd.randbytes(1000 * 750 * 3))
    big = small.resize((4000, 3000), Image.Resampling.NEAREST)
    noise = Image.frombytes("L", (4000, 3000), rnd.randbytes(4000 * 3000)).convert("RGB")
    image = Image.blend(big, noise, 0.5)
    quality = 92
    while True:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        if out.tell() <= mb * 1024 * 1024 or quality < 40:
            return out.getvalue()
        quality -= 4


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--mb", type=float, default=5)
    parser.add_argument("--no-settle", action="store_true", help="without ui.operations.settle_heap (the reference)")
    args = parser.parse_args()

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from bench.signed_in import open_desk
    from tests.conftest import complaint
    from ui.ops import settle_heap, tune_collector, wait_for_all
    tune_collector()  # as the window process does
    from ui.windows.case_view import CaseView

    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.setdefault("LIAISON_KEY_DIR", str(folder / "keys"))
        os.environ.setdefault("LIAISON_KEYRING", "off")
        paths = []
        for i in range(args.photos):
            p = folder / f"IMG_{i:04d}.jpg"
            p.write_bytes(photo(args.mb, i))
            paths.append(str(p))
        sizes = [Path(p).stat().st_size / 1024 / 1024 for p in paths]
        desk = open_desk(f"sqlite:///{folder / 'bench.db'}")

        # Reference 1: the same work with no window (the CLI's `liaison attach`).
        plain_case = desk.cases.add(complaint())["case_no"]
        t = time.perf_counter()
        desk.attachments.add_paths(plain_case, paths)
        no_window = time.perf_counter() - t

        view = CaseView(desk, desk.cases.add(complaint())["case_no"])
        view.show()
        if not args.no_settle:
            settle_heap()  # as the window does once the database is open
        gaps: list[float] = []
        clock = QElapsedTimer()

        stamps: list[float] = []

        def beat():
            gaps.append(clock.restart())
            stamps.append(time.perf_counter())

        heart = QTimer(interval=10)
        heart.timeout.connect(beat)

        def run_for(seconds: float, until=None) -> None:
            end = time.perf_counter() + seconds
            while time.perf_counter() < end and not (until and until()):
                app.processEvents()
                time.sleep(0.001)

        # Reference 2: the heartbeat while the window is idle.
        clock.start()
        heart.start()
        run_for(1.0)
        idle_gap = max(gaps[1:])
        gaps.clear()
        stamps.clear()

        t = time.perf_counter()
        clock.restart()
        view.evidence.add_paths(paths)
        run_for(60, until=lambda: view.evidence.count() == args.photos)
        in_window = time.perf_counter() - t
        run_for(60, until=lambda: not view.evidence.thumbnails_pending)
        with_thumbs = time.perf_counter() - t
        busy_gap = max(gaps) if gaps else float("nan")
        worst_at = stamps[gaps.index(busy_gap)] - t if gaps else float("nan")
        heart.stop()
        wait_for_all()
        stored = desk.attachments.list(view.case_no)
        assert len(stored) == args.photos, stored
        view.close()
        desk.store.dispose()

    print(f"{args.photos} photos of {min(sizes):.1f}–{max(sizes):.1f} MB ({sum(sizes):.0f} MB)")
    print(f"attach in the case window (background): {in_window:.2f} s   target ≤ 2 s   "
          f"{'OK' if in_window <= 2 else 'SLOW'}")
    print(f"  thumbnails drawn in the strip after: {with_thumbs:.2f} s")
    print(f"  longest gap of the 10 ms heartbeat meanwhile: {busy_gap:.0f} ms, ending {worst_at:.2f} s after the "
          f"files were given   (idle window: {idle_gap:.0f} ms)")
    print(f"reference, same files with no window and thumbnails made inline (liaison attach): {no_window:.2f} s")


if __name__ == "__main__":
    main()
