"""Ingest throughput against raw Tesseract, in one run, on the same page images with the same processes.

    .venv/bin/python benchmarks/ingest_throughput.py [--pages 200] [--workers 2] [--corpus DIR]
    .venv/bin/python -m tests.pgcluster -- .venv/bin/python benchmarks/ingest_throughput.py   # on PostgreSQL

Every page of the corpus's simulated scans (`scan-*`: TIFF, JPEG, image-only PDF) is written once as a
300 dpi greyscale PNG; the pages are replicated until there are --pages of them. Then, in the same run:
1. raw Tesseract: `tesseract PAGE OUT -l LANG` (OMP_THREAD_LIMIT=1, the page's manifest language) over
   every page image in a pool of --workers processes;
2. Sijill: a fresh site (data directory, database: SQLite, or a new database on DATABASE_URL's server)
   and a manifest naming every page image, run through `manage.py ingest --workers N`: filing, page
   counting, preprocessing, OCR with text, word boxes and a searchable PDF, page images, the database.
It prints pages per minute of each, their ratio (target >= 0.9) and the largest resident memory any
worker process reached, and the load average before and after, since other work on the machine skews it.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGUAGES = {"ara": "ara", "eng": "eng", "fra": "fra", "swa": "swa", "tur": "tur"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    default = os.environ.get("SIJILL_CORPUS_DIR") or ROOT.parent / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=Path(default))
    parser.add_argument("--keep", action="store_true", help="keep the working folder (printed) for a look")
    return parser.parse_args()


def page_images(corpus, folder, count):
    """[(png path, language)] of `count` pages: the corpus scan pages, each written once, replicated."""
    from ingest.pages import iter_pages

    originals = []
    with open(corpus / "MANIFEST.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["file"]
            if not name.startswith("scan-") or name.endswith(".gt.txt"):
                continue
            for page in iter_pages(corpus / name):
                target = folder / f"{Path(name).stem}-p{page.number}.png"
                image = page.render().convert("L")
                image.save(target, dpi=(300, 300))
                originals.append((target, row["language"]))
    pages = []
    for index in range(count):
        source, language = originals[index % len(originals)]
        copy = folder / f"page-{index + 1:04d}-{source.name}"
        os.link(source, copy)
        pages.append((copy, language))
    for source, _language in originals:
        source.unlink()
    return pages


def _raw_one(item):
    path, language = item
    with tempfile.TemporaryDirectory(prefix="raw-tesseract-") as out:
        subprocess.run(
            ["tesseract", str(path), str(Path(out) / "page"), "-l", LANGUAGES.get(language, "eng")],
            check=True, capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    return 1


def raw_tesseract(pages, processes):
    """Seconds raw Tesseract takes over `pages` with `processes` processes."""
    started = time.monotonic()
    with ProcessPoolExecutor(processes) as pool:
        done = sum(pool.map(_raw_one, pages))
    assert done == len(pages)
    return time.monotonic() - started


class PeakMemory:
    """The largest VmHWM (peak resident set) seen among the processes whose command line names a marker."""

    def __init__(self, marker):
        self.marker = marker
        self.peak_kib = 0
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self):
        while self.running:
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    if self.marker not in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode():
                        continue
                    for line in (entry / "status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak_kib = max(self.peak_kib, int(line.split()[1]))
                except (FileNotFoundError, ProcessLookupError, PermissionError):
                    continue
            time.sleep(0.5)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak_kib / 1024


def sijill(pages, workers, work_dir):
    """Seconds `manage.py ingest` takes over `pages` with `workers` workers, and the workers' peak MiB."""
    data = work_dir / "data"
    env = {name: value for name, value in os.environ.items() if not name.startswith(("SIJILL_", "DJANGO_"))}
    env.update(SIJILL_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="sijill.settings", OMP_THREAD_LIMIT="1",
               SIJILL_TASK_WORKERS=str(workers))
    database = None
    if os.environ.get("DATABASE_URL"):
        from urllib.parse import urlsplit, urlunsplit

        import psycopg

        parts = urlsplit(os.environ["DATABASE_URL"])
        database = f"sijill_bench_{os.getpid()}"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
    manage = [sys.executable, str(ROOT / "manage.py")]
    try:
        subprocess.run([*manage, "migrate", "--no-input", "--verbosity", "0"], env=env, check=True)
        setup = (
            "from records.models import CaseType, Institution\n"
            "from records import roles\n"
            "from django.contrib.auth import get_user_model\n"
            "from django.contrib.auth.models import Group, Permission\n"
            "group, _ = Group.objects.get_or_create(name='Clerks')\n"
            "for perm in roles.CLERK:\n"
            "    app, code = perm.split('.')\n"
            "    group.permissions.add(Permission.objects.get(content_type__app_label=app, codename=code))\n"
            "user = get_user_model().objects.create_user('bench-clerk')\n"
            "user.groups.add(group)\n"
            "Institution.objects.create(code='BENCH', name='Benchmark court', kind='court')\n"
            "CaseType.objects.get_or_create(code='civil', defaults={'name': 'Civil'})\n"
        )
        subprocess.run([*manage, "shell", "-c", setup], env=env, check=True)
        folder = pages[0][0].parent
        rows = ["court,case_number,case_type,filing_date,languages,file"]
        # A case per page: copies of one page in one case would be the same file, not stored twice.
        rows += [f"BENCH,B/{index + 1}/2020,civil,2020-01-01,{language},{path.name}"
                 for index, (path, language) in enumerate(pages)]
        manifest = work_dir / "manifest.csv"
        manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
        memory = PeakMemory("manage.py worker")
        started = time.monotonic()
        done = subprocess.run(
            [*manage, "ingest", str(folder), "--manifest", str(manifest), "--user", "bench-clerk",
             "--workers", str(workers)],
            env=env, capture_output=True, text=True,
        )
        seconds = time.monotonic() - started
        peak = memory.stop()
        if done.returncode != 0:
            print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
            raise SystemExit(f"manage.py ingest failed ({done.returncode})")
        print(done.stdout.strip().splitlines()[-1])
        return seconds, peak
    finally:
        if database:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main():
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sijill.settings")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    work_dir = Path(tempfile.mkdtemp(prefix="sijill-ingest-bench-"))
    try:
        images = work_dir / "pages"
        images.mkdir()
        pages = page_images(args.corpus, images, args.pages)
        load_before = os.getloadavg()
        raw_seconds = raw_tesseract(pages, args.workers)
        ours_seconds, peak_mib = sijill(pages, args.workers, work_dir)
        load_after = os.getloadavg()
        raw_rate = len(pages) / raw_seconds * 60
        ours_rate = len(pages) / ours_seconds * 60
        engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        print(f"\n{len(pages)} pages, {args.workers} processes each, {engine}")
        print(f"{'':<22}{'seconds':>10}{'pages/min':>12}")
        print(f"{'raw tesseract':<22}{raw_seconds:>10.1f}{raw_rate:>12.1f}")
        print(f"{'sijill ingest':<22}{ours_seconds:>10.1f}{ours_rate:>12.1f}")
        print(f"ratio sijill / raw: {ours_rate / raw_rate:.2f} (target >= 0.9)")
        print(f"largest worker peak resident memory: {peak_mib:.0f} MiB")
        print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    finally:
        if args.keep:
            print(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
