"""Server time of full-text search over 1,000,000 pages (100,000 documents), with and without access filtering.

    .venv/bin/python benchmarks/search_scale.py --database sqlite [--pages N] [--runs N] [--seed N]
    .venv/bin/python -m tests.pgcluster -- .venv/bin/python benchmarks/search_scale.py --database postgres

Text: the pages are drawn from the shared corpus's own words, per language (English, Arabic, French,
Turkish, Swahili in the proportions below): a first-order chain over each language's real text makes a
pool of passages, and each page is ten passages of its document's language. Each passage then appears on
about `--pages * 10 / pool` pages, so a word unique to one passage is a rare term (about 50 pages at full
size), and the script picks its query terms from the counts it keeps: a rare word, a common word (found in
about 12% of the documents, some 12,000 at full size, where the target asks for at least 10,000 and
Paperless-ngx was timed on 13,750), a very common word (on a tenth of the pages, some 24,000 documents,
measured without a target), a two-word phrase, and the common word filtered by court and years. 10% of the
documents are sealed juvenile case files (JUVENILE mark), about half of them assigned to the juvenile bench.

Each query goes through search.service as the staff page and the API call it (count, facets, the top 20,
snippets with page numbers, the audit event) and is timed in process as:

  judge       cleared for sealed with every mark, on the juvenile bench;
  clerk       cleared for internal, no marks, assigned to nothing;
  unfiltered  the judge's request through a backend whose access rule is taken out (the same engine, the
              same filters, facets and snippets): the reference for "within 1.5 times".

Also measured: the index build (`manage.py reindex` in a child process: wall time and peak memory), the
index size, and, as a timing check of the access rule, a clerk's search for a word only sealed documents
hold beside a word that exists nowhere. The data is bulk-loaded (the services would take hours). Figures
go to benchmarks/results/search_scale-<database>.json; the load average says how busy the machine was.
Validate the script at a small size (--pages 20000); the full size takes hours and tens of gigabytes.
"""

import argparse
import gc
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"eng": 0.50, "ara": 0.25, "fra": 0.15, "tur": 0.05, "swa": 0.05}
PASSAGE_WORDS = 30
PASSAGES_PER_PAGE = 10
PAGES_PER_DOCUMENT = 10
PAGES_PER_PASSAGE = 50  # at full size: how many pages share one passage
CHUNK = 500  # documents per bulk insert
TARGETS = {"rare": 100, "phrase": 100, "common": 300, "very common": None, "filtered": 300}
RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 1024


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--pages", type=int, default=1_000_000, help="pages in all (10 per document)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each query for each user")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sealed-fraction", type=float, default=0.10)
    parser.add_argument("--keep", action="store_true", help="keep the data directory (its path is printed) to study queries afterwards")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="measure again on a data directory kept by --keep with the same --pages and --seed: the text is "
                             "drawn again without writing it, and the index is rebuilt in place (`reindex --restart`)")
    parser.add_argument("--no-reindex", action="store_true", help="with --reuse: measure the queries on the index as kept")
    args = parser.parse_args()
    if args.pages < 2000 or args.runs < 5:
        parser.error("--pages must be at least 2000 and --runs at least 5")
    return args


def prepare_environment(database, data_dir, corpus_dir):
    if database == "postgres" and not os.environ.get("DATABASE_URL"):
        raise SystemExit("--database postgres needs DATABASE_URL; run it under `python -m tests.pgcluster -- ...`.")
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(SIJILL_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="sijill.settings", SIJILL_DEBUG="0",
                      SIJILL_STORAGE="local", SIJILL_ELASTICSEARCH_URL="", SIJILL_CORPUS_DIR=str(corpus_dir))
    sys.path.insert(0, str(ROOT))


# Text from the corpus ----------------------------------------------------------------------------------


def corpus_texts(corpus_dir):
    """{language: [texts]} of the corpus's readable texts: plain text, ground truths, JSON strings, HTML
    and XML text, and the text layer of born-digital PDFs."""
    import csv

    import pypdfium2

    from ingest import extract

    texts = defaultdict(list)
    with open(corpus_dir / "MANIFEST.csv", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["language"] in LANGUAGES and not row["file"].startswith("bad/")]
    for row in rows:
        path = corpus_dir / row["file"]
        if "negative" in row["file"]:
            continue
        if row["format"] == "born-digital-pdf":
            document = pypdfium2.PdfDocument(path)
            texts[row["language"]].append("\n".join(document[n].get_textpage().get_text_range() for n in range(len(document))))
        elif row["format"] in ("image", "scanned-pdf"):
            truth = path.parent / (path.stem + ".gt.txt")
            if truth.exists():
                texts[row["language"]].append(truth.read_text(encoding="utf-8"))
        else:
            # A text file (TXT, HTML, JSON, XML, DOCX) is one page, read as ingest reads it.
            texts[row["language"]].append(extract.read_page(path, 1, languages=[row["language"]], images=False).result.text)
    return texts


def passages(texts, count, rng):
    """`count` passages of PASSAGE_WORDS words, walked along a first-order chain of the texts' words."""
    words = [word for text in texts for word in re.findall(r"\S+", text) if len(word) < 40]
    following = defaultdict(list)
    for first, second in zip(words, words[1:], strict=False):
        following[first].append(second)
    made = []
    for _ in range(count):
        word = rng.choice(words)
        passage = [word]
        for _step in range(PASSAGE_WORDS - 1):
            word = rng.choice(following.get(word) or words)
            passage.append(word)
        made.append(" ".join(passage))
    return made


# Loading ------------------------------------------------------------------------------------------------


def case_parties(case, rng):
    """Two or three parties, named as in benchmarks/case_lookups.py: every audited search looks its words
    up among party names (search.service), so their number counts in a judge's time."""
    from case_lookups import person

    from records import keys
    from records.models import Party

    names = [person(rng) for _ in range(rng.choice((2, 2, 3)))]
    roles = ["applicant", "respondent", "witness"]
    return [Party(case=case, role=role, name=name, name_key=keys.name_key(name)) for role, name in zip(roles, names, strict=False)]


def load(args, rng, texts, judge, bench, write=True):
    """Bulk-create courts, case files, documents, versions and pages; returns what the queries need. Without
    `write`, the same draws are made (the same seed gives the same words) and nothing is written."""
    from django.db import transaction

    from records import keys
    from records.models import Assignment, CaseFile, CaseType, Document, Institution, Mark, Page, Party, Version
    from search import normalise

    documents = args.pages // PAGES_PER_DOCUMENT
    pool_size = max(200, args.pages * PASSAGES_PER_PAGE // PAGES_PER_PASSAGE)
    pools = {code: passages(texts[code], max(20, int(pool_size * share)), rng) for code, share in LANGUAGES.items()}
    # Sealed reports speak of other things than rulings: one passage of each of their pages comes from a pool
    # of their own, so some words are held by sealed documents only (the timing check's words).
    sealed_pools = {code: passages(texts[code], max(5, len(pool) // 100), rng) for code, pool in pools.items()}
    courts = [Institution.objects.get_or_create(code=f"BENCH-{n:02d}", defaults={"name": f"Court {n:02d}", "kind": "court"})[0] for n in range(20)]
    civil, _ = CaseType.objects.get_or_create(code="civil", defaults={"name": "Civil"})
    juvenile, _ = CaseType.objects.get_or_create(code="juvenile", defaults={"name": "Juvenile"})
    juvenile_mark = Mark.objects.get(code="JUVENILE")
    passage_uses = {code: Counter() for code in LANGUAGES}
    terms_of = {}  # (language, passage) -> its set of index terms, computed once
    sealed_uses = {code: Counter() for code in LANGUAGES}
    sealed_words = Counter()  # word -> pages, over sealed documents only
    open_words = set()
    started = time.perf_counter()
    # Parties from a generator of their own, so that the pages' words are drawn as without them.
    party_rng = random.Random(args.seed + 1)
    for offset in range(0, documents, CHUNK):
        cases, docs, versions, pages, marks, assignments, parties = [], [], [], [], [], [], []
        for n in range(offset, min(documents, offset + CHUNK)):
            code = rng.choices(list(LANGUAGES), weights=list(LANGUAGES.values()))[0]
            court = courts[n % len(courts)]
            filed = date(rng.randint(1995, 2025), rng.randint(1, 12), rng.randint(1, 28))
            sealed = rng.random() < args.sealed_fraction
            number = f"{n + 1}/{filed.year}"
            case = CaseFile(number=number, number_key=keys.case_number_key(number), court=court,
                            case_type=juvenile if sealed else civil, date_filed=filed, level="sealed" if sealed else "internal")
            cases.append(case)
            parties += case_parties(case, party_rng)
            if sealed:
                marks.append(CaseFile.marks.through(casefile_id=case.pk, mark_id=juvenile_mark.pk))
                if rng.random() < 0.5:
                    assignments.append(Assignment(case=case, group=bench, assigned_by=judge))
            document = Document(case=case, kind="judgment", title=f"Judgment {number}", languages=[code],
                                document_date=filed, created_by=judge)
            docs.append(document)
            version = Version(document=document, number=1, storage_key=f"bench/{document.pk}", original_name="judgment.pdf",
                              media_type="application/pdf", size=1, sha256="0" * 64, author=judge)
            versions.append(version)
            for number_on_page in range(1, PAGES_PER_DOCUMENT + 1):
                chosen = rng.choices(range(len(pools[code])), k=PASSAGES_PER_PAGE - sealed)
                for index in set(chosen):
                    passage_uses[code][index] += 1
                    if sealed:
                        if (code, index) not in terms_of:
                            terms_of[code, index] = set(normalise.terms(pools[code][index]))
                        sealed_words.update(terms_of[code, index])
                text = "\n".join(pools[code][i] for i in chosen)
                if sealed:
                    own = rng.randrange(len(sealed_pools[code]))
                    sealed_uses[code][own] += 1
                    text += "\n" + sealed_pools[code][own]
                pages.append(Page(version=version, number=number_on_page, text=text, source="pdf_text"))
        if not write:
            continue
        with transaction.atomic():
            CaseFile.objects.bulk_create(cases, batch_size=CHUNK)
            CaseFile.marks.through.objects.bulk_create(marks)
            Party.objects.bulk_create(parties, batch_size=CHUNK)
            Assignment.objects.bulk_create(assignments)
            Document.objects.bulk_create(docs, batch_size=CHUNK)
            Version.objects.bulk_create(versions, batch_size=CHUNK)
            Page.objects.bulk_create(pages, batch_size=2000)
        done = min(documents, offset + CHUNK)
        if done % (CHUNK * 20) == 0 or done == documents:
            print(f"  {done:,} documents, {done * PAGES_PER_DOCUMENT:,} pages loaded ({time.perf_counter() - started:.0f} s)", flush=True)
    # Page frequencies of words and word pairs, from how often each passage was used.
    word_pages, pair_pages = Counter(), Counter()
    for code, uses in sealed_uses.items():
        for index, used in uses.items():
            for term in set(normalise.terms(sealed_pools[code][index])):
                sealed_words[term] += used
                word_pages[term] += used
    for code, uses in passage_uses.items():
        for index, used in uses.items():
            terms = normalise.terms(pools[code][index])
            open_words.update(terms)
            for term in set(terms):
                word_pages[term] += used
            for pair in set(zip(terms, terms[1:], strict=False)):
                pair_pages[pair] += used
    return {"word_pages": word_pages, "pair_pages": pair_pages, "courts": courts, "seconds": time.perf_counter() - started,
            "sealed_words": sealed_words}


def pick_queries(stats, pages, documents_found):
    """The measured queries: (label, text, filters). `documents_found(word)` counts the documents a word
    finds in the index, stems included: what "hits" means for the common word."""
    words, pairs = stats["word_pages"], stats["pair_pages"]
    def nearest(counter, goal, keep=lambda key: True):
        return min((key for key in counter if keep(key)), key=lambda key: abs(counter[key] - goal))
    alphabetic = lambda term: term.isalpha() and len(term) > 3  # noqa: E731
    sealed = stats["sealed_words"]
    # A rare word of open documents if there is one (at full size every passage is on some sealed page too).
    rare = nearest(words, max(5, pages // 20_000), lambda term: alphabetic(term) and not sealed[term]) if any(
        alphabetic(term) and not sealed[term] for term in words) else nearest(words, max(5, pages // 20_000), alphabetic)
    # The common word finds about 12% of the documents (12,000 at full size): its page count says little
    # of that, as stems add pages and a word of one language gathers in that language's documents, so
    # words between 2% and 12% of the pages are counted in the index and the nearest is taken.
    goal = pages // PAGES_PER_DOCUMENT * 12 // 100
    candidates = sorted((term for term in words if alphabetic(term) and pages // 50 <= words[term] <= pages * 12 // 100), key=words.get)
    sample = candidates[:: max(1, len(candidates) // 12)] or [nearest(words, pages * 3 // 100, alphabetic)]
    common = min(sample, key=lambda term: abs(documents_found(term) - goal))
    very_common = nearest(words, pages // 10, alphabetic)
    pair = nearest(pairs, max(50, pages // 1000), lambda key: all(map(alphabetic, key)))
    court = stats["courts"][0].code
    return [
        ("rare", rare, {}, words[rare]),
        ("phrase", f'"{pair[0]} {pair[1]}"', {}, pairs[pair]),
        ("common", common, {}, words[common]),
        ("very common", very_common, {}, words[very_common]),
        ("filtered", common, {"court": [court], "year": ["2005..2015"]}, None),
    ]


# Measuring ----------------------------------------------------------------------------------------------


def unfiltered_backend():
    """The site's database backend with the access rule taken out: the reference."""
    from search.backends import get_backend
    from search.models import IndexedDocument

    backend = get_backend()
    backend.visible = lambda reach: IndexedDocument.objects.all()
    return backend


# The child reports its own peak (VmHWM) as it exits. getrusage(RUSAGE_CHILDREN) would not do: Linux counts
# in a child's maximum the parent's resident memory at the fork, here the benchmark's own gigabyte of text.
PEAK_REPORTER = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            print('peak-resident-kb', line.split()[1], file=sys.stderr, flush=True)\n"
    "atexit.register(peak)\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def reindex(data_dir, restart=False):
    """`manage.py reindex` in a child process: (seconds, peak resident memory of the child in MB)."""
    started = time.perf_counter()
    command = [str(ROOT / "manage.py"), "reindex", "--batch", "500", "--verbosity", "1", *(["--restart"] if restart else [])]
    child = subprocess.run([sys.executable, "-c", PEAK_REPORTER, *command], env=os.environ.copy(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"reindex failed:\n{child.stdout[-2000:]}\n{child.stderr[-2000:]}")
    print("\n".join(child.stdout.splitlines()[-3:]), flush=True)
    peaks = re.findall(r"^peak-resident-kb (\d+)$", child.stderr, re.MULTILINE)
    return seconds, int(peaks[-1]) / 1024 if peaks else None


def index_size_mb():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_page') + pg_total_relation_size('search_indexeddocument')"
                           " + pg_total_relation_size('search_indexedmark')")
            return cursor.fetchone()[0] / 2**20
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'search_page_fts%' OR name LIKE 'search_indexed%'")
        names = [name for (name,) in cursor.fetchall()]
        try:
            cursor.execute(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({','.join('%s' for _ in names)})", names)
            return (cursor.fetchone()[0] or 0) / 2**20
        except Exception:  # noqa: BLE001 - SQLite built without dbstat: no figure
            return None


def timed(user, text, filters, backend, runs):
    from search import service

    for _ in range(3):
        service.search(user, text, filters=filters, backend=backend)  # warm-up
    times, outcome = [], None
    for _ in range(runs):
        started = time.perf_counter()
        outcome = service.search(user, text, filters=filters, backend=backend)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times, outcome


def measure(queries, users, runs):
    results = []
    for label, text, filters, expected_pages in queries:
        print(f"Measuring {label}: {text} {filters or ''}", flush=True)
        for name, (user, backend) in users.items():
            times, outcome = timed(user, text, filters, backend, runs)
            results.append({
                "query": label, "text": text, "filters": filters, "user": name, "runs": runs, "documents_found": outcome.count,
                "pages_holding_it": expected_pages,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(statistics.quantiles(times, n=100, method="inclusive")[94], 1), "max_ms": round(times[-1], 1),
            })
    reference = {result["query"]: result["p95_ms"] for result in results if result["user"] == "unfiltered"}
    for result in results:
        result["target_ms"] = TARGETS[result["query"]]
        if result["user"] != "unfiltered":
            result["p95_ratio"] = round(result["p95_ms"] / reference[result["query"]], 2)
    return results


def run(args, data_dir):
    corpus_dir = Path(os.environ.get("SIJILL_CORPUS_DIR") or ROOT.parent / "shared" / "corpus").resolve()
    prepare_environment(args.database, data_dir, corpus_dir)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from records.classification import set_clearance_by_command
    from records.models import Document
    from search.backends import get_backend

    call_command("migrate", verbosity=0, interactive=False)
    if Document.objects.exists() and not args.reuse:
        raise SystemExit("The database already holds documents; the benchmark needs a throwaway one.")
    rng = random.Random(args.seed)
    users_model = get_user_model()
    if args.reuse:
        bench, judge, clerk = Group.objects.get(name="juvenile bench"), users_model.objects.get(username="judge"), users_model.objects.get(username="clerk")
    else:
        bench = Group.objects.create(name="juvenile bench")
        judge = users_model.objects.create_user("judge")
        judge.groups.add(bench)
        set_clearance_by_command(judge, level="sealed", marks=["JUVENILE", "GBV", "FAMILY"])
        clerk = users_model.objects.create_user("clerk")
        set_clearance_by_command(clerk, level="internal", marks=[])
    texts = corpus_texts(corpus_dir)
    print(f"Loading {args.pages:,} pages ({args.pages // PAGES_PER_DOCUMENT:,} documents) into {connection.vendor}...", flush=True)
    stats = load(args, rng, texts, judge, bench, write=not args.reuse)  # bulk inserts announce nothing: nothing is indexed yet
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.no_reindex:
        build_seconds = peak_mb = None
    else:
        print("Indexing (manage.py reindex)...", flush=True)
        build_seconds, peak_mb = reindex(data_dir, restart=bool(args.reuse))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    size_mb = index_size_mb()
    from search import service

    queries = pick_queries(stats, args.pages, lambda word: service.search(judge, word, backend=unfiltered_backend(), limit=1).count)
    users = {"judge": (judge, get_backend()), "clerk": (clerk, get_backend()), "unfiltered": (judge, unfiltered_backend())}
    load_before = " ".join(f"{load:.1f}" for load in os.getloadavg())
    # The harness's own counts of the vocabulary (millions of objects) are not a server's: frozen, so that
    # the collector's passes over them do not land inside the timed searches.
    gc.collect()
    gc.freeze()
    results = measure(queries, users, args.runs)
    sealed_only = [word for word, pages in stats["sealed_words"].most_common()
                   if stats["word_pages"][word] == pages and word.isalpha() and len(word) > 3]
    side_channel = {}
    if sealed_only:
        # Quoted: the word as written, not its stems (which open documents may hold).
        hidden, seen = timed(clerk, f'"{sealed_only[0]}"', {}, get_backend(), args.runs)
        absent, nothing = timed(clerk, '"qqzxywvutsr"', {}, get_backend(), args.runs)
        side_channel = {"sealed_only_word": sealed_only[0], "pages": stats["sealed_words"][sealed_only[0]],
                        "clerk_found": seen.count, "clerk_p50_ms": round(statistics.median(hidden), 2),
                        "absent_word_found": nothing.count, "absent_word_p50_ms": round(statistics.median(absent), 2)}
    version = (connection.Database.sqlite_version if connection.vendor == "sqlite" else "{}.{}".format(*divmod(connection.pg_version, 10000)))
    report = {
        "database": f"{connection.vendor} {version}", "pages": args.pages, "documents": args.pages // PAGES_PER_DOCUMENT,
        "sealed_fraction": args.sealed_fraction, "load_seconds": None if args.reuse else round(stats["seconds"], 1),
        "reindex": "none (index as kept)" if args.no_reindex else "in place over the kept index" if args.reuse else "fresh",
        "reindex_seconds": build_seconds and round(build_seconds, 1), "reindex_peak_memory_mb": peak_mb and round(peak_mb, 1),
        "reindex_memory_target_mb": MEMORY_TARGET_MB, "index_size_mb": round(size_mb, 1) if size_mb is not None else None,
        "timing_check": side_channel, "python": platform.python_version(), "django": django.get_version(),
        "cpus": os.cpu_count(), "load_average_before_measuring": load_before,
        "load_average_after": " ".join(f"{load:.1f}" for load in os.getloadavg()),
    }
    print_report(report, results)
    out = ROOT / "benchmarks" / "results" / f"search_scale-{args.database}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({**report, "results": results}, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFigures written to {out.relative_to(ROOT)}")
    connection.close()


def print_report(report, results):
    print("\n" + ", ".join(f"{key}: {value}" for key, value in report.items()) + "\n")
    row = "{:<13}{:<12}{:>10}{:>9}{:>9}{:>12}{:>10}  {}".format
    print(row("query", "user", "documents", "p50 ms", "p95 ms", "target ms", "p95/unf.", "within target"))
    for result in results:
        ratio, target = result.get("p95_ratio"), result["target_ms"]
        within = (target is None or result["p95_ms"] <= target) and (ratio is None or ratio <= RATIO_TARGET)
        print(row(result["query"], result["user"], result["documents_found"], result["p50_ms"], result["p95_ms"],
                  "-" if target is None else target, "" if ratio is None else f"{ratio:.2f}", "yes" if within else "NO"))


def main():
    args = parse_args()
    data_dir = args.reuse.resolve() if args.reuse else Path(tempfile.mkdtemp(prefix="sijill-search-bench-"))
    try:
        run(args, data_dir)
    finally:
        if args.keep or args.reuse:
            print(f"Data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
