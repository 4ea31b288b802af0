"""OCR accuracy (CER) on the corpus's simulated scans, per file and per language.

    .venv/bin/python benchmarks/ocr_accuracy.py [--corpus DIR] [--no-languages] [--raw | --compare]
                                                [--processes N] [--save DIR]

Every `scan-*` file of the corpus (SIJILL_CORPUS_DIR, else ../shared/corpus beside the checkout, as the
tests find it) goes through ingest.pages and ingest.ocr with the language of its MANIFEST.csv row
(ISO 639-3), or with the script detected by Tesseract's OSD under --no-languages. Each page is compared
with its ground truth (NAME.gt.txt, pages separated by form feeds) after ingest.normalise: CER is the
Levenshtein distance over the ground truth's length, summed per language. --raw measures plain
Tesseract (no preparation, automatic segmentation, Tesseract's reading order); --compare measures both.
--corpus may name any folder laid out the same way, such as the validation scans that
benchmarks/scan_validation.py makes from pages that are not the corpus's scans. Pages are read by N
processes (default 2), one Tesseract thread each. Targets: <= 3 % for French and English, <= 8 % for
Arabic. The script reports and does not judge: it exits 0 when a target is missed.
"""

import argparse
import csv
import os
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from ingest import ocr  # noqa: E402  (the checkout first on the path, as for manage.py)
from ingest.normalise import levenshtein, normalise  # noqa: E402
from ingest.pages import iter_pages  # noqa: E402

TARGETS = {"fra": 0.03, "eng": 0.03, "ara": 0.08}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("SIJILL_CORPUS_DIR") or ROOT.parent / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=Path(default))
    parser.add_argument("--no-languages", action="store_true", help="detect the script instead of the manifest's language")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--raw", action="store_true", help="plain Tesseract: no preparation, psm 3")
    mode.add_argument("--compare", action="store_true", help="measure plain Tesseract and the preparation")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--save", type=Path, help="write each page's text here (NAME-pN.txt), to read the errors")
    return parser.parse_args()


def scans(corpus):
    with open(corpus / "MANIFEST.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["file"]
            if name.startswith("scan-") and not name.endswith(".gt.txt"):
                yield corpus / name, row["language"]


def measure(path, language, clean, detect, save):
    """Each page of one file: (number, distance, truth length, confidence, models, seconds, notes)."""
    truth_pages = path.with_suffix(".gt.txt").read_text(encoding="utf-8").split("\f")
    rows = []
    for page in iter_pages(path):
        started = time.perf_counter()
        result = ocr.ocr_page(page.render(), page.number, languages=None if detect else [language],
                              dpi=page.dpi, clean=clean)
        seconds = time.perf_counter() - started
        truth = normalise(truth_pages[page.number - 1]) if page.number <= len(truth_pages) else ""
        distance = levenshtein(normalise(result.text), truth)
        if save:
            (save / f"{path.stem}-p{page.number}.txt").write_text(result.text, encoding="utf-8")
        rows.append((page.number, distance, len(truth), result.confidence, result.languages, seconds,
                     "; ".join(result.notes)))
    return rows


def run(corpus, *, clean, detect, processes, save):
    label = "prepared (psm 4)" if clean else "plain Tesseract (psm 3)"
    print(f"\n{label}{', script detected' if detect else ''}:")
    print(f"{'file':<58} {'lang':>4} {'page':>4} {'CER':>7} {'conf':>5} {'models':>9} {'s':>5}  notes")
    per_language = defaultdict(lambda: [0, 0])
    files = list(scans(corpus))
    with ProcessPoolExecutor(processes) as pool:
        futures = [pool.submit(measure, path, language, clean, detect, save) for path, language in files]
        for (path, language), future in zip(files, futures, strict=True):
            for number, distance, length, confidence, models, seconds, notes in future.result():
                cer = distance / length if length else 0.0
                per_language[language][0] += distance
                per_language[language][1] += length
                print(f"{path.name[:58]:<58} {language:>4} {number:>4} {cer:>7.2%} {confidence or 0:>5.1f} "
                      f"{models:>9} {seconds:>5.1f}  {notes}", flush=True)
    print(f"\n{'language':<10} {'CER':>7} {'target':>7}  met")
    for language, (distance, length) in sorted(per_language.items()):
        cer = distance / length if length else 0.0
        target = TARGETS.get(language)
        met = "" if target is None else ("yes" if cer <= target else "NO")
        print(f"{language:<10} {cer:>7.2%} {f'{target:.0%}' if target else '-':>7}  {met}")


def main():
    args = parse_args()
    if not (args.corpus / "MANIFEST.csv").exists():
        sys.exit(f"No corpus at {args.corpus} (set SIJILL_CORPUS_DIR or --corpus)")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    print(f"{ocr.engine_name()}, OMP_THREAD_LIMIT={os.environ['OMP_THREAD_LIMIT']}, {args.processes} processes, "
          f"load average {os.getloadavg()[0]:.2f}")
    modes = [False, True] if args.compare else [not args.raw]
    for clean in modes:
        run(args.corpus, clean=clean, detect=args.no_languages, processes=args.processes, save=args.save)


if __name__ == "__main__":
    main()
