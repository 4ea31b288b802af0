"""OCR throughput: Sijill's page OCR against raw Tesseract on the same page images, same process count.

    .venv/bin/python benchmarks/ocr_speed.py [--corpus DIR] [--pages 200] [--processes 2] [--rounds 1]

The corpus's scan pages (every image, and every page of the image-only PDFs, under scan-*) are written
once to a temporary folder as the scanner made them (a PDF page's embedded JPEG is taken out as it is),
then replicated to --pages pages. (a) runs `tesseract IMAGE OUT -l LANG` on each in a pool of N
processes; (b) runs ingest.ocr.ocr_page (open the image, prepare it, one Tesseract pass for text, boxes
and text layer, the searchable PDF) in a pool of N processes. Both with OMP_THREAD_LIMIT=1. It prints
pages per minute of each, their ratio (target >= 0.9), each pool's peak memory (the sum over its
processes, sampled every 0.1 s, and the largest single process) and the size of the searchable PDFs.
On a shared machine run --rounds 2 or more: the rounds alternate, so a burst of other work hits both.

page_images() and raw_tesseract() are importable, for benchmarks that time real workers against the
same raw Tesseract figure.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["OMP_THREAD_LIMIT"] = "1"  # both sides: one Tesseract thread per process

import pypdfium2  # noqa: E402
from PIL import Image  # noqa: E402

from ingest.pages import PDF, detect_type  # noqa: E402


@dataclass
class PageImage:
    path: Path
    language: str  # Tesseract model, e.g. "ara"


@dataclass
class Timing:
    label: str
    pages: int
    seconds: float
    peak_rss: int  # bytes: the most the pool's processes held together
    largest_process: int  # bytes: the most one of them held

    @property
    def pages_per_minute(self):
        return 60 * self.pages / self.seconds


def page_images(corpus, folder):
    """Every scan page of the corpus as an image file in `folder`: [(PageImage)], one per page."""
    pages = []
    with open(corpus / "MANIFEST.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["file"].startswith("scan-") and not row["file"].endswith(".txt")]
    for row in rows:
        path = corpus / row["file"]
        if detect_type(path) != PDF:
            pages.append(PageImage(path, row["language"]))
            continue
        document = pypdfium2.PdfDocument(str(path))
        try:
            for index in range(len(document)):
                pages.append(PageImage(_pdf_page_image(document[index], folder / f"{path.stem}-p{index + 1}"), row["language"]))
        finally:
            document.close()
    return pages


def _pdf_page_image(page, base):
    """The page's one embedded image as stored (a scanner's JPEG), else the page rendered at 300 dpi."""
    images = [obj for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    if len(images) == 1:
        try:
            images[0].extract(str(base))
            return next(base.parent.glob(base.name + ".*"))
        except (pypdfium2.PdfiumError, StopIteration, OSError):
            pass
    path = base.with_suffix(".png")
    page.render(scale=300 / 72, grayscale=True).to_pil().save(path, dpi=(300, 300))
    return path


class _MemoryWatch:
    """Samples the resident memory of this process's descendants (Linux /proc) and keeps the peak sum."""

    def __init__(self):
        self.peak = self.largest = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _watch(self):
        while not self._stop.wait(0.1):
            sizes = [_rss(pid) for pid in _descendants(os.getpid())]
            self.peak = max(self.peak, sum(sizes))
            self.largest = max([self.largest, *sizes])


def _children_by_parent():
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    return children


def _descendants(pid):
    children, found, stack = _children_by_parent(), [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _rss(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tesseract(page, out_base):
    subprocess.run(["tesseract", str(page.path), out_base, "-l", page.language],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def raw_tesseract(pages, processes=2):
    """Raw `tesseract IMAGE OUT -l LANG` over `pages` (PageImages) by `processes` at a time: a Timing."""
    with tempfile.TemporaryDirectory(prefix="sijill-raw-tesseract-") as folder, _MemoryWatch() as memory:
        started = time.perf_counter()
        with ThreadPoolExecutor(processes) as pool:
            list(pool.map(_tesseract, pages, [f"{folder}/{i}" for i in range(len(pages))]))
        seconds = time.perf_counter() - started
    return Timing("raw tesseract", len(pages), seconds, memory.peak, memory.largest)


def _ocr(page):
    from ingest import ocr

    with Image.open(page.path) as image:
        dpi = image.info.get("dpi")
        result = ocr.ocr_page(image.copy(), 1, languages=[page.language], dpi=float(dpi[0]) if dpi else None)
    return len(result.searchable_pdf)


def _warm(_=None):
    from ingest import ocr

    return ocr.engine_name()  # imports and the version probe, once per worker, outside the timing


def sijill_ocr(pages, processes=2):
    """ingest.ocr.ocr_page over `pages` by `processes` worker processes: a Timing and the PDF sizes."""
    with ProcessPoolExecutor(processes) as pool, _MemoryWatch() as memory:
        list(pool.map(_warm, range(processes)))
        started = time.perf_counter()
        sizes = list(pool.map(_ocr, pages))
        seconds = time.perf_counter() - started
    return Timing("ingest.ocr.ocr_page", len(pages), seconds, memory.peak, memory.largest), sizes


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("SIJILL_CORPUS_DIR") or ROOT.parent / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=Path(default))
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    return parser.parse_args()


def _report(timing):
    print(f"  {timing.label:<22} {timing.pages:>4} pages in {timing.seconds:7.1f} s = {timing.pages_per_minute:6.1f} pages/min; "
          f"peak memory {timing.peak_rss / 2**20:6.0f} MiB (largest process {timing.largest_process / 2**20:.0f} MiB)", flush=True)


def main():
    args = parse_args()
    if not (args.corpus / "MANIFEST.csv").exists():
        sys.exit(f"No corpus at {args.corpus} (set SIJILL_CORPUS_DIR or --corpus)")
    with tempfile.TemporaryDirectory(prefix="sijill-ocr-speed-") as folder:
        distinct = page_images(args.corpus, Path(folder))
        pages = [distinct[i % len(distinct)] for i in range(max(args.pages, len(distinct)))]
        print(f"{len(distinct)} corpus scan pages replicated to {len(pages)}; {args.processes} processes; "
              f"OMP_THREAD_LIMIT=1; load average {os.getloadavg()[0]:.2f} at start", flush=True)
        raw_seconds = ocr_seconds = 0.0
        sizes = []
        for round_ in range(1, args.rounds + 1):
            print(f"round {round_}:")
            raw = raw_tesseract(pages, args.processes)
            _report(raw)
            timing, sizes = sijill_ocr(pages, args.processes)
            _report(timing)
            raw_seconds += raw.seconds
            ocr_seconds += timing.seconds
    ratio = raw_seconds / ocr_seconds
    print(f"\nraw tesseract {60 * len(pages) * args.rounds / raw_seconds:.1f} pages/min, "
          f"ingest.ocr {60 * len(pages) * args.rounds / ocr_seconds:.1f} pages/min: ratio {ratio:.2f} (target >= 0.9)")
    print(f"searchable PDF per page: mean {sum(sizes) / len(sizes) / 1024:.0f} KiB, largest {max(sizes) / 1024:.0f} KiB")
    print(f"load average at end {os.getloadavg()[0]:.2f} (other work on the machine slows both sides unevenly)")


if __name__ == "__main__":
    main()
