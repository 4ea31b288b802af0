"""Born-digital PDF extraction speed: pages per second in one process, on the corpus's PDFs.

    .venv/bin/python benchmarks/pdf_text_speed.py [--corpus DIR] [--rounds 3]

Every PDF whose MANIFEST.csv row says `born-digital-pdf` (bad inputs left out) is read page by page in
four ways, each timed over all its pages and repeated `--rounds` times (the best round counts):

- text: the page text alone (ingest.pdftext.page_text, pdfium);
- text + boxes: and the word boxes (ingest.pdfwords), as a page job stores them;
- text + boxes + images: and the WebP preview and thumbnail (ingest.previews);
- read_page: ingest.extract.read_page itself, opening the file for each page as a page job does.

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


def one_pass(paths, work):
    """(pages with a text layer, pages needing OCR, seconds spent on the pages with a text layer)."""
    read = needs_ocr = 0
    seconds = 0.0
    for path in paths:
        document = open_pdf(path)
        try:
            for index in range(len(document)):
                page = document[index]
                started = time.perf_counter()
                text = work(page)
                elapsed = time.perf_counter() - started
                page.close()
                if text is pdftext.NEEDS_OCR:
                    needs_ocr += 1
                else:
                    read += 1
                    seconds += elapsed
        finally:
            document.close()
    return read, needs_ocr, seconds


def read_page_pass(paths, skip):
    read, seconds, size = 0, 0.0, [0, 0]
    for path in paths:
        for number in range(1, extract.count_pages(path) + 1):
            if (path, number) in skip:
                continue
            started = time.perf_counter()
            result = extract.read_page(path, number)
            seconds += time.perf_counter() - started
            read += 1
            size[0] += len(result.preview)
            size[1] += len(result.thumbnail)
    return read, 0, seconds, size


def ocr_pages(paths):
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


def main():
    args = parse_args()
    paths = born_digital(args.corpus)
    print(f"load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"{len(paths)} born-digital PDFs from {args.corpus}; best of {args.rounds} rounds; one process\n")
    skip = ocr_pages(paths)
    print(
        f"{'what':<28} {'pages':>6} {'to OCR':>6} {'seconds':>8} {'pages/s':>8} {'ms/page':>8}  target {TARGET:.0f}/s"
    )
    sizes = None
    for label, run in (
        ("text", lambda: one_pass(paths, text_only)),
        ("text + boxes", lambda: one_pass(paths, with_boxes)),
        ("text + boxes + images", lambda: one_pass(paths, with_images)),
        ("read_page (file per page)", lambda: read_page_pass(paths, skip)),
    ):
        best = None
        for _round in range(args.rounds):
            outcome = run()
            if best is None or outcome[2] < best[2]:
                best = outcome
        read, needs_ocr, seconds = best[:3]
        if len(best) > 3:
            sizes = (best[3], read)
        rate = read / seconds if seconds else float("inf")
        print(
            f"{label:<28} {read:>6} {needs_ocr or len(skip):>6} {seconds:>8.2f} {rate:>8.1f} {1000 / rate:>8.2f}  "
            f"{'met' if rate >= TARGET else 'missed'}",
            flush=True,
        )
    if sizes:
        (preview, thumbnail), count = sizes
        print(
            f"\nWebP per page: preview {preview / count / 1024:.0f} KiB, thumbnail {thumbnail / count / 1024:.1f} KiB "
            f"(long side {previews.preview_long_side()} / {previews.thumbnail_long_side()} px, "
            f"quality {previews.WEBP_QUALITY}, method {previews.WEBP_METHOD})"
        )
    print(f"load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
