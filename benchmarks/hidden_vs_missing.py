"""Does an id out of the user's reach answer slower (or faster) than an id that exists nowhere?

    .venv/bin/python benchmarks/hidden_vs_missing.py --database sqlite [--requests N] [--cases N] [--seed N]
    .venv/bin/python -m tests.pgcluster -- .venv/bin/python benchmarks/hidden_vs_missing.py --database postgres
    make bench    # both

A clerk (cleared for internal, no marks) asks, through the django.test.Client in process, for sealed
juvenile case files, their documents and versions (hidden from them) and for random ids that exist
nowhere, taking turns request by request (hidden, missing, hidden, ...) so that load on the machine falls
on both alike. Each endpoint is timed around the request: the staff case page, the API case detail and an
extra action, the API document detail and the download view. For each, the report gives the median, p5
and p95 of both, the difference of medians (hidden minus missing) with a 95% bootstrap interval, and the
Mann-Whitney U test's two-sided p-value: an interval that straddles 0 and a large p mean that the times
do not tell the two apart at this sample size. The script reports and does not judge; it exits non-zero
only when an answer is not the 404 both must be. Figures also go, as JSON, to benchmarks/results/.

Everything happens in a fresh temporary data directory removed at the end; PostgreSQL is the throwaway
database DATABASE_URL names (tests.pgcluster's). The cases are registered through the services, as any
path registers them (`--cases` internal ones around the sealed ones, to give the tables some size).
"""

import argparse
import datetime
import json
import logging
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "corpus" / "us-scotus-2013-tarrant-v-herrmann.pdf"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--requests", type=int, default=300, help="requests per endpoint, hidden and missing each")
    parser.add_argument("--cases", type=int, default=200, help="internal case files registered besides the sealed")
    parser.add_argument("--hidden", type=int, default=20, help="sealed juvenile case files the clerk may not see")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bootstrap", type=int, default=2000, help="resamples for the interval")
    return parser.parse_args()


def prepare_environment(database, data_dir):
    """Point Django at a throwaway data directory before it reads its settings."""
    if database == "postgres" and not os.environ.get("DATABASE_URL"):
        raise SystemExit("--database postgres needs DATABASE_URL; run it under `python -m tests.pgcluster -- ...`.")
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(SIJILL_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="sijill.settings",
                      SIJILL_ALLOWED_HOSTS="testserver,localhost", SIJILL_DEBUG="0", SIJILL_STORAGE="local")
    sys.path.insert(0, str(ROOT))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def bootstrap_interval(hidden, missing, rng, resamples):
    """95% interval of median(hidden) - median(missing), resampling each side with replacement."""
    differences = sorted(
        statistics.median(rng.choices(hidden, k=len(hidden))) - statistics.median(rng.choices(missing, k=len(missing)))
        for _ in range(resamples)
    )
    return percentile(differences, 0.025), percentile(differences, 0.975)


def mann_whitney_p(first, second):
    """Two-sided p-value of the Mann-Whitney U test, normal approximation with ties corrected."""
    pooled = sorted([(value, 0) for value in first] + [(value, 1) for value in second])
    ranks, ties, position = [0.0] * len(pooled), 0.0, 0
    while position < len(pooled):
        end = position
        while end + 1 < len(pooled) and pooled[end + 1][0] == pooled[position][0]:
            end += 1
        for index in range(position, end + 1):
            ranks[index] = (position + end) / 2 + 1
        size = end - position + 1
        ties += size**3 - size
        position = end + 1
    n1, n2 = len(first), len(second)
    rank_sum = sum(rank for rank, (_, side) in zip(ranks, pooled, strict=True) if side == 0)
    u = rank_sum - n1 * (n1 + 1) / 2
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return 1.0
    z = (abs(u - n1 * n2 / 2) - 0.5) / math.sqrt(variance)
    return math.erfc(max(z, 0) / math.sqrt(2))


def build(args):
    """The clerk, `--hidden` sealed juvenile cases with a document each, and `--cases` internal ones."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from records import roles, services
    from records.classification import set_clearance, set_clearance_by_command
    from records.models import CaseFile, CaseType, Document, Institution, Mark, Party

    admin = get_user_model().objects.create_superuser("bench-admin", "bench@example.org", None)
    set_clearance_by_command(admin, level="sealed", marks=["JUVENILE", "GBV", "FAMILY"])  # nobody grants their own
    clerks = Group.objects.create(name="clerks")
    clerks.permissions.set([Permission.objects.get(content_type__app_label=perm.split(".")[0],
                                                   codename=perm.split(".")[1]) for perm in roles.CLERK])
    clerk = get_user_model().objects.create_user("bench-clerk", "clerk@example.org", None)
    clerk.groups.add(clerks)
    set_clearance(clerk, actor=admin, level="internal", marks=[])
    court = Institution.objects.create(code="BENCH", name="Court of First Instance, Benchville", kind="court")
    civil = CaseType.objects.create(code="civil", name="Civil", default_level="internal")
    juvenile = CaseType.objects.create(code="juvenile", name="Juvenile", default_level="sealed")
    juvenile.default_marks.set(Mark.objects.filter(code="JUVENILE"))
    hidden = []
    for n in range(args.cases + args.hidden):
        sealed = n < args.hidden
        case_file = CaseFile(number=f"{n + 1}/2025", court=court, case_type=juvenile if sealed else civil,
                             title=f"Bench case {n + 1}", date_filed=datetime.date(2025, 1, 1 + n % 28))
        case_file.parties = [Party(role="child" if sealed else "applicant", name=f"Party {n + 1}")]
        services.register_case_file(case_file, actor=admin)
        if sealed:
            with SAMPLE.open("rb") as file:
                document = services.add_document(
                    Document(case=case_file, kind="judgment", title=f"Ruling {n + 1}", languages=["eng"]),
                    actor=admin, file=file, file_name="ruling.pdf",
                )
            hidden.append({"case": str(case_file.pk), "document": str(document.pk),
                           "version": str(document.versions.get().pk)})
    return get_user_model().objects.get(pk=clerk.pk), hidden


ENDPOINTS = {
    "staff case page": ("case", "/admin/records/case-files/inspect/{}/"),
    "API case detail": ("case", "/api/v1/case-files/{}/"),
    "API case assignments (extra action)": ("case", "/api/v1/case-files/{}/assignments/"),
    "API document versions (extra action)": ("document", "/api/v1/documents/{}/versions/"),
    "API document detail": ("document", "/api/v1/documents/{}/"),
    "download": ("version", "/records/versions/{}/download/"),
}


def measure(client, hidden, requests, rng):
    from django.urls import Resolver404, resolve

    results, failures = [], 0
    for label, (kind, template) in ENDPOINTS.items():
        try:
            resolve(template.format(uuid.uuid4()))
        except Resolver404:
            print(f"(skipped {label}: {template} is not a URL of this site)")
            continue
        times = {"hidden": [], "missing": []}
        for turn in range(2 * requests + 10):
            which = "hidden" if turn % 2 == 0 else "missing"
            pk = rng.choice(hidden)[kind] if which == "hidden" else str(uuid.uuid4())
            started = time.perf_counter()
            response = client.get(template.format(pk))
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 404:
                failures += 1
                print(f"FAILURE: {label} answered {response.status_code} for a {which} id")
            if turn >= 10:  # the first few warm caches and connections
                times[which].append(elapsed)
        results.append((label, times))
    return results, failures


def run(args, data_dir):
    prepare_environment(args.database, data_dir)
    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # each 404 would be a warning line
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"Registering {args.cases + args.hidden} case files on {connection.vendor}...", flush=True)
    clerk, hidden = build(args)
    client = Client()
    client.force_login(clerk)
    rng = random.Random(args.seed)
    results, failures = measure(client, hidden, args.requests, rng)
    row = "{:<40}{:>8}{:>11}{:>9}{:>9}{:>11}{:>9}{:>9}{:>12}{:>21}{:>9}".format
    print(f"\n{connection.vendor}, {args.requests} requests each, load average "
          + " ".join(f"{load:.1f}" for load in os.getloadavg()) + "\n")
    print(row("endpoint", "n", "hidden ms", "p5", "p95", "missing ms", "p5", "p95", "diff ms", "95% interval", "MW p"))
    report = []
    for label, times in results:
        hidden_ms, missing_ms = times["hidden"], times["missing"]
        low, high = bootstrap_interval(hidden_ms, missing_ms, rng, args.bootstrap)
        entry = {
            "endpoint": label,
            "requests": len(hidden_ms),
            "hidden": {name: round(fn(hidden_ms), 3) for name, fn in FIGURES.items()},
            "missing": {name: round(fn(missing_ms), 3) for name, fn in FIGURES.items()},
            "median_difference_ms": round(statistics.median(hidden_ms) - statistics.median(missing_ms), 3),
            "interval_95_ms": [round(low, 3), round(high, 3)],
            "mann_whitney_p": round(mann_whitney_p(hidden_ms, missing_ms), 4),
        }
        report.append(entry)
        print(row(label, entry["requests"], *entry["hidden"].values(), *entry["missing"].values(),
                  entry["median_difference_ms"], f"[{low:+.3f}, {high:+.3f}]", entry["mann_whitney_p"]))
    out = ROOT / "benchmarks" / "results" / f"hidden_vs_missing-{args.database}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"database": connection.vendor, "results": report}, indent=2) + "\n")
    print(f"\nFigures written to {out.relative_to(ROOT)}")
    connection.close()
    if failures:
        raise SystemExit(f"{failures} answers were not the 404 of a missing item.")


FIGURES = {
    "median": statistics.median,
    "p5": lambda values: percentile(values, 0.05),
    "p95": lambda values: percentile(values, 0.95),
}


def main():
    args = parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="sijill-bench-"))
    try:
        run(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
