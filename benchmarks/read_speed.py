"""Whole-process speed of ``digitocr read``, as a user sees it (interpreter start, imports, model load).

    python benchmarks/read_speed.py [--runs 9] [--images 50] [--image PATH] [--samples DIR]

Prints the median wall time of ``digitocr read`` on one 3-row sample over several runs
(target, issue 3: ≤ 1.0 s), its CPU time (what wall time would be on an idle machine, bar
OpenCV's own threads), the part that is start-up (``digitocr --help``), and images/second
when one call reads a folder of 50 images (the samples, repeated), in one process and with a
worker process per core (``--jobs``, digitocr/workers.py).
By default the 3-row sample is the first image of samples/labels.tsv with three rows.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from digitocr.workers import default_jobs

REPO = Path(__file__).resolve().parent.parent
DIGITOCR = [sys.executable, "-m", "digitocr"]


def run_times(args: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one ``digitocr`` process."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(DIGITOCR + args, check=True, stdout=subprocess.DEVNULL)
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_times(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds. On a busy machine wall time waits for a core; CPU time does not."""
    run_times(args)  # warm-up: file cache, bytecode
    walls, cpus = zip(*(run_times(args) for _ in range(runs)))
    return statistics.median(walls), statistics.median(cpus)


def expected_rows(samples: Path) -> dict[Path, list[str]]:
    """samples/labels.tsv: ``file<TAB>row1|row2|…`` per line."""
    lines = (samples / "labels.tsv").read_text().splitlines()
    pairs = (line.split("\t") for line in lines if line.strip() and not line.startswith("#"))
    return {samples / name: rows.split("|") for name, rows in pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="timed runs of the single-image read")
    parser.add_argument("--images", type=int, default=50, help="images in the one-call folder read")
    parser.add_argument("--samples", type=Path, default=REPO / "samples", help="folder with labels.tsv")
    parser.add_argument("--image", type=Path, default=None, help="the single image [default: a 3-row sample]")
    args = parser.parse_args()

    samples = expected_rows(args.samples)
    image = args.image or next(path for path, rows in samples.items() if len(rows) == 3)
    startup, _ = median_times(["--help"], args.runs)
    single, cpu = median_times(["read", str(image)], args.runs)
    print(f"digitocr read {image.relative_to(REPO) if image.is_relative_to(REPO) else image}: "
          f"median {single:.3f} s wall, {cpu:.3f} s CPU over {args.runs} runs "
          f"(start-up {startup:.3f} s; target ≤ 1.0 s wall)")

    with tempfile.TemporaryDirectory() as folder:
        sources = list(samples)
        for i in range(args.images):
            source = sources[i % len(sources)]
            shutil.copy(source, Path(folder) / f"{i:03d}{source.suffix}")
        for jobs in ("1", str(default_jobs())):
            seconds, cpu = median_times(["read", folder, "--jobs", jobs], max(1, args.runs // 3))
            print(f"digitocr read <folder of {args.images} samples> --jobs {jobs}: {seconds:.2f} s wall "
                  f"({cpu:.2f} s CPU), {args.images / seconds:.1f} images/s")


if __name__ == "__main__":
    main()
