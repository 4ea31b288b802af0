"""Born-digital PDF extraction speed: pages per second in one process, on the corpus's PDFs.

    .venv/bin/python benchmarks/pdf_text_speed.py [--corpus DIR] [--rounds 3]

Every PDF whose MANIFEST.csv row says `born-digital-pdf` (bad inputs left out) is read page by page in
four ways, each timed over all its pages and repeated `--rounds` times (the best round counts), in
wall-clock time and in the process's CPU time (what the work costs when other processes share the
cores, as they often do on a build machine):

- text: the page text alone (ingest.pdftext.page_text, pdfium);
- text + boxes: and the word boxes (ingest.pdfwords), as a page job stores them;
- text + boxes + images: and the WebP preview and thumbnail (ingest.previews);
- read_page: ingest.extract.read_page itself, opening the file for each page as a page job does, with
  images, and with images for OCR pages only (text-layer pages' left to extract.text_layer_images).

Pages whose text layer is unusable go to OCR in the product; they are counted apart and not timed
here (OCR speed is the OCR benchmark's). Target: >= 50 pages per second. The load average is printed
before and after, since other processes on the machine slow every figure. The script reports, it does
not judge: it exits 0 whatever the figures.
"""

import argparse
import csv
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import extract, pdftext, pdfwords, previews  # noqa: E402  (the checkout first on the path)
from ingest.pages import open_pdf  # noqa: E402

TARGET = 50.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("SIJILL_CORPUS_DIR") or ROOT.parent / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=Path(default))
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


def born_digital(corpus):
    with open(corpus / "MANIFEST.csv", newline="", encoding="utf-8") as handle:
        return [
            corpus / row["file"]
            for row in csv.DictReader(handle)
            if row["format"] == "born-digital-pdf" and not row["file"].startswith("bad/")
        ]


def text_only(page):
    return pdftext.page_text(page)


def with_boxes(page):
    text = pdftext.page_text(page)
    if text is not pdftext.NEEDS_OCR:
        pdfwords.page_words(page, text)
    return text


def with_images(page):
    text = with_boxes(page)
    if text is not pdftext.NEEDS_OCR:
        previews.page_images(previews.render_pdf_page(page))
    return text


class Clock:
    """Wall-clock and CPU seconds of the parts timed with it."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def __enter__(self):
        self._started = (time.perf_counter(), time.process_time())
        return self

    def __exit__(self, *_exc):
        self.wall += time.perf_counter() - self._started[0]
        self.cpu += time.process_time() - self._started[1]


def one_pass(paths, work, skip):
    """(pages read, their Clock, None) with `work` on each page that has a usable text layer."""
    read, clock = 0, Clock()
    for path in paths:
        document = open_pdf(path)
        try:
            for index in range(len(document)):
                if (path, index + 1) in skip:
                    continue
                page = document[index]
                with clock:
                    work(page)
                page.close()
                read += 1
        finally:
            document.close()
    return read, clock, None


def read_page_pass(paths, skip, images=True):
    """(pages read, their Clock, (preview bytes, thumbnail bytes)) through extract.read_page."""
    read, clock, sizes = 0, Clock(), [0, 0]
    for path in paths:
        for number in range(1, extract.count_pages(path) + 1):
            if (path, number) in skip:
                continue
            with clock:
                result = extract.read_page(path, number, images=images)
            read += 1
            sizes[0] += len(result.preview or b"")
            sizes[1] += len(result.thumbnail or b"")
    return read, clock, sizes if images is True else None


def ocr_pages(paths):
    """The (path, number) of pages whose text layer is unusable: the product sends them to OCR."""
    pages = set()
    for path in paths:
        document = open_pdf(path)
        for index in range(len(document)):
            page = document[index]
            if pdftext.page_text(page) is pdftext.NEEDS_OCR:
                pages.add((path, index + 1))
            page.close()
        document.close()
    return pages


def load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    args = parse_args()
    paths = born_digital(args.corpus)
    print(f"load average before: {load()} ({os.cpu_count()} cores)")
    print(f"{len(paths)} born-digital PDFs from {args.corpus}; best of {args.rounds} rounds; one process\n")
    skip = ocr_pages(paths)
    print(f"{len(skip)} pages without a usable text layer (OCR in the product) are left out\n")
    print(
        f"{'what':<28} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'ms/page':>8} {'CPU ms/page':>12}  target {TARGET:.0f}/s"
    )
    sizes = None
    for label, work in (
        ("text", lambda: one_pass(paths, text_only, skip)),
        ("text + boxes", lambda: one_pass(paths, with_boxes, skip)),
        ("text + boxes + images", lambda: one_pass(paths, with_images, skip)),
        ("read_page (file per page)", lambda: read_page_pass(paths, skip)),
        ("read_page, images=OCR_PAGES", lambda: read_page_pass(paths, skip, extract.OCR_PAGES)),
    ):
        read, clock, size = min((work() for _round in range(args.rounds)), key=lambda outcome: outcome[1].wall)
        sizes = size or sizes
        rate = read / clock.wall
        verdict = "met" if rate >= TARGET else "missed"
        print(
            f"{label:<28} {read:>6} {clock.wall:>8.2f} {rate:>8.1f} {1000 / rate:>8.2f} {1000 * clock.cpu / read:>12.2f}  {verdict}",
            flush=True,
        )
    preview, thumbnail = sizes
    print(
        f"\nWebP per page: preview {preview / read / 1024:.0f} KiB, thumbnail {thumbnail / read / 1024:.1f} KiB "
        f"(long side {previews.preview_long_side()} / {previews.thumbnail_long_side()} px, "
        f"quality {previews.WEBP_QUALITY}, method {previews.WEBP_METHOD})"
    )
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
