"""Server time of the case list and the look-ups clerks make daily, over 100,000 case files.

    .venv/bin/python benchmarks/case_lookups.py --database sqlite [--cases N] [--requests N] [--seed N]
    .venv/bin/python -m tests.pgcluster -- .venv/bin/python benchmarks/case_lookups.py --database postgres
    make bench    # both

The issue's target is p95 <= 300 ms for each of: the case list page, a party national ID look-up and a
case number look-up. "Server time" is one django.test.Client request in process, timed around get():
middleware, view, queries and template rendering, with no network or browser. Everything happens in a
fresh temporary data directory (SQLite, secret key, static files) that is removed at the end; PostgreSQL
is the database DATABASE_URL names, which must be a throwaway one such as tests.pgcluster's. The data is
bulk-loaded (the services would take hours for 100,000 cases), so the look-up keys are computed here as
the models' save() does. The script reports and does not judge: it exits 0 when a target is missed and
non-zero only when a request fails or a look-up does not find its case. Figures also go, as JSON, to
benchmarks/results/. Other work on the machine inflates the times: the report gives the load average.
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LIST_URL = "/admin/records/case-files/"
TARGET_MS = 300
CHUNK = 10_000
LATIN_GIVEN = ["Amina", "Grace", "John", "Fatuma", "Peter", "Wanjiru", "Otieno", "Aïcha", "Moussa",
               "Hélène", "Ibrahim", "Chukwuma", "Zeynep", "Mehmet", "Nadia", "Samuel", "Esther", "Kofi"]
LATIN_FAMILY = ["Mwangi", "Okafor", "Diallo", "Traoré", "Kamau", "Yılmaz", "Mensah", "Ndlovu", "Haddad",
                "Benali", "Achieng", "Kariuki", "Ouédraogo", "Demir", "Banda", "Mutua", "Cissé", "Oyelaran"]
ARABIC_GIVEN = ["محمد", "أحمد", "فاطمة", "عائشة", "يوسف", "مريم", "خالد", "عبد الله", "سارة", "حسن",
                "ليلى", "إبراهيم", "زينب", "عمر", "نور", "مصطفى"]
ARABIC_FAMILY = ["العلي", "الحسيني", "المصري", "بن علي", "الشريف", "التونسي", "القاسم", "الزهراني",
                 "الخطيب", "النجار", "الحداد", "السوداني"]
ROLES = {"criminal": ("victim", "accused"), "gbv": ("victim", "accused"), "juvenile": ("child", "guardian")}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per measured URL")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sealed-fraction", type=float, default=0.10,
                        help="share of cases sealed (half JUVENILE, half GBV); a further 5%% are confidential")
    args = parser.parse_args()
    if args.cases < 100 or args.requests < 2:
        parser.error("--cases must be at least 100 and --requests at least 2")
    return args


def prepare_environment(database, data_dir):
    """Point Django at a throwaway data directory before it reads its settings."""
    if database == "postgres" and not os.environ.get("DATABASE_URL"):
        raise SystemExit("--database postgres needs DATABASE_URL; run it under "
                         "`python -m tests.pgcluster -- ...` (see `make bench`).")
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)  # the SQLite file then lives in the temporary data dir
    os.environ.update(SIJILL_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="sijill.settings",
                      SIJILL_ALLOWED_HOSTS="testserver,localhost", SIJILL_DEBUG="0", SIJILL_STORAGE="local")
    sys.path.insert(0, str(ROOT))


def person(rng):
    if rng.random() < 0.5:
        return f"{rng.choice(ARABIC_GIVEN)} {rng.choice(ARABIC_GIVEN)} {rng.choice(ARABIC_FAMILY)}"
    return f"{rng.choice(LATIN_GIVEN)} {rng.choice(LATIN_FAMILY)}"


def national_id(rng):
    """12 to 16 digits; a third written in groups of four, as they are often typed."""
    digits = "".join(rng.choices("0123456789", k=rng.randint(12, 16)))
    if rng.random() < 1 / 3:
        return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
    return digits


def case_plan(rng, courts, count):
    """(court, date filed, number) per case; numbers restart at 1 each year in each court, as registers do."""
    first, last = date(2000, 1, 1), min(date.today(), date(2026, 12, 31))
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(courts))]  # a few busy courts, many small ones
    filed = sorted((first + timedelta(days=rng.randrange((last - first).days + 1)), court)
                   for court in rng.choices(range(len(courts)), weights, k=count))
    sequences, plan = Counter(), []
    for date_filed, court in filed:
        sequences[court, date_filed.year] += 1
        plan.append((courts[court], date_filed, f"{sequences[court, date_filed.year]}/{date_filed.year}"))
    rng.shuffle(plan)  # insertion order should not match the list's order
    return plan


def case_rows(rng, court, case_type, date_filed, number, level="internal"):
    """One case file with 2-3 parties and maybe a legacy number, keys filled in as save() would."""
    from records import keys
    from records.lifecycle import Status
    from records.models import CaseFile, LegacyNumber, Party, Sex

    names = [person(rng) for _ in range(rng.choice((2, 2, 3)))]
    case = CaseFile(number=number, number_key=keys.case_number_key(number), court=court,
                    case_type=case_type, title=f"{names[0]} v. {names[1]}",
                    status=rng.choice(Status.values), date_filed=date_filed, level=level)
    roles = [*ROLES.get(case_type.code, ("applicant", "respondent")), "witness"]  # a third party: witness
    ids = [national_id(rng) if rng.random() < 0.92 else "" for _ in names]  # firms and minors have none
    parties = [Party(case=case, role=role, name=name, name_key=keys.name_key(name), national_id=id_number,
                     national_id_key=keys.national_id_key(id_number), sex=rng.choice(Sex.values))
               for role, name, id_number in zip(roles[: len(names)], names, ids, strict=True)]
    legacy = []
    if rng.random() < 0.2:
        old = f"R {rng.randint(1, 999)}/{date_filed.year - rng.randint(1, 5)}"
        legacy.append(LegacyNumber(case=case, number=old, number_key=keys.case_number_key(old),
                                   source="Registry book"))
    return case, parties, legacy, (case.pk, number, rng.choice([i for i in ids if i] or [None]))


def restriction(rng, sealed_fraction):
    """(level, case type code or None, mark code or None) for one case: sealed juvenile or GBV cases, some
    confidential ones, the rest internal."""
    draw = rng.random()
    if draw < sealed_fraction / 2:
        return "sealed", "juvenile", "JUVENILE"
    if draw < sealed_fraction:
        return "sealed", "gbv", "GBV"
    if draw < sealed_fraction + 0.05:
        return "confidential", None, None
    return "internal", None, None


def load(rng, count, sealed_fraction, judge, bench):
    """Bulk-create 60 courts, the case types and the case files, with their marks and assignments: the
    judge directly on 200 juvenile cases and through the juvenile bench on 300 more; every other restricted
    case assigned to one of 40 other benches. Return (look-up targets, seconds)."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from records.demo.loader import CASE_TYPES
    from records.models import Assignment, CaseFile, CaseType, Institution, LegacyNumber, Mark, Party

    marks = {mark.code: mark for mark in Mark.objects.all()}
    other_benches = [Group.objects.create(name=f"bench {index:02d}") for index in range(40)]
    judge_direct, judge_bench = 200, 300

    courts = []
    for index in range(60):
        parent = courts[index % 6] if index >= 6 and index % 4 == 0 else None  # some sit under a high court
        courts.append(Institution.objects.create(code=f"BENCH-{index:02d}", name=f"Court {index:02d}",
                                                 kind="court", parent=parent))
    case_types = [CaseType.objects.get_or_create(code=code, defaults={"name": name})[0]
                  for code, name in CASE_TYPES]
    by_code = {case_type.code: case_type for case_type in case_types}
    open_types = [case_type for case_type in case_types if case_type.code not in ("juvenile", "gbv")]
    plan = case_plan(rng, courts, count)
    targets = []  # (id, number, one party's national ID as stored) per case
    started = time.perf_counter()
    for offset in range(0, len(plan), CHUNK):
        cases, parties, legacy, case_marks, assignments = [], [], [], [], []
        for court, date_filed, number in plan[offset:offset + CHUNK]:
            level, type_code, mark = restriction(rng, sealed_fraction)
            case_type = by_code[type_code] if type_code else rng.choice(open_types)
            case, case_parties, case_legacy, target = case_rows(rng, court, case_type, date_filed, number, level)
            cases.append(case)
            parties += case_parties
            legacy += case_legacy
            targets.append(target)
            if mark:
                case_marks.append(CaseFile.marks.through(casefile_id=case.pk, mark_id=marks[mark].pk))
            if level in ("confidential", "sealed"):
                if mark == "JUVENILE" and judge_direct:
                    assignments.append(Assignment(case=case, user=judge, assigned_by=judge))
                    judge_direct -= 1
                elif mark == "JUVENILE" and judge_bench:
                    assignments.append(Assignment(case=case, group=bench, assigned_by=judge))
                    judge_bench -= 1
                else:
                    assignments.append(Assignment(case=case, group=rng.choice(other_benches), assigned_by=judge))
        with transaction.atomic():
            CaseFile.objects.bulk_create(cases, batch_size=2000)
            Party.objects.bulk_create(parties, batch_size=2000)
            LegacyNumber.objects.bulk_create(legacy, batch_size=2000)
            CaseFile.marks.through.objects.bulk_create(case_marks, batch_size=2000)
            Assignment.objects.bulk_create(assignments, batch_size=2000)
        print(f"  {offset + len(cases):>7,} cases loaded ({time.perf_counter() - started:.0f} s)", flush=True)
    return targets, time.perf_counter() - started


def lookup_requests(rng, targets, count):
    """The measured requests, chosen before timing starts: {label: [(url, what the page must show)]}.

    A national ID finds one case, so its page must link to that case. A case number is found in every
    court that has it (up to 60 cases), so the page must show the number as a cell's text: "1/2019"
    inside "11/2019" or echoed in the search box does not count.
    """
    with_id = [target for target in targets if target[2]]
    requests = {"case list": [], "national ID look-up": [], "case number look-up": []}
    for _ in range(count):
        page = f"?p={rng.randint(1, 20)}" if rng.random() < 0.5 else ""
        requests["case list"].append((LIST_URL + page, None))
        pk, _number, id_number = rng.choice(with_id)
        typed = id_number.replace(" ", "") if rng.random() < 0.5 else id_number
        requests["national ID look-up"].append((f"{LIST_URL}?{urlencode({'q': typed})}", re.escape(str(pk))))
        number = rng.choice(targets)[1]
        requests["case number look-up"].append(
            (f"{LIST_URL}?{urlencode({'q': number})}", rf">\s*{re.escape(number)}\s*<"))
    return requests


def check_hidden(judge, hidden):
    """Look-ups by the judge of cases out of their reach must not find them: the filter is really on."""
    from django.test import Client

    client = Client()
    client.force_login(judge)
    for pk, _number, id_number in hidden:
        page = client.get(f"{LIST_URL}?{urlencode({'q': id_number})}").content.decode()
        if str(pk) in page:
            raise SystemExit(f"The judge's look-up of {id_number} found a case out of their reach.")
    print(f"  {len(hidden)} look-ups of cases out of the judge's reach found nothing, as they must.")


def get(client, url, expected):
    """One timed request, in milliseconds; an error page or a look-up that misses its case stops the run."""
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}, not 200: nothing worth measuring.")
    if expected and not re.search(expected, response.content.decode()):
        raise SystemExit(f"GET {url} did not show the case it looks up: the look-up is broken.")
    return elapsed


def measure(client, requests):
    """Time each planned request; then replay a few with queries captured, to split SQL from the rest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for label, planned in requests.items():
        print(f"Measuring {label}...", flush=True)
        for url, expected in planned[:3]:
            get(client, url, expected)  # warm-up: template loading, the connection, first-use caches
        times = sorted(get(client, url, expected) for url, expected in planned)
        replayed = planned[:10]
        with CaptureQueriesContext(connection) as captured:  # captured apart: capture slows queries a bit
            for url, expected in replayed:
                get(client, url, expected)
        queries = captured.captured_queries
        slowest = max(queries, key=lambda query: float(query["time"]))
        results.append({
            "measurement": label, "requests": len(times), "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(statistics.quantiles(times, n=100, method="inclusive")[94], 1),
            "max_ms": round(times[-1], 1), "queries": round(len(queries) / len(replayed)),
            "sql_ms": round(sum(float(query["time"]) for query in queries) * 1000 / len(replayed), 1),
            "slowest_query_ms": round(float(slowest["time"]) * 1000, 1), "slowest_query": slowest["sql"],
        })
    return results


def environment_report(load_seconds):
    import django
    from django.db import connection

    from records.models import CaseFile, Party

    version = (connection.Database.sqlite_version if connection.vendor == "sqlite"
               else "{}.{}".format(*divmod(connection.pg_version, 10000)))
    return {"database": f"{connection.vendor} {version}", "cases": CaseFile.objects.count(),
            "parties": Party.objects.count(), "load_seconds": round(load_seconds, 1),
            "python": platform.python_version(), "django": django.get_version(), "cpus": os.cpu_count(),
            "load_average": " ".join(f"{load:.1f}" for load in os.getloadavg())}


def print_report(report, results):
    row = "{:<36}{:>9}{:>11}{:>9}{:>9}{:>9}{:>8}  {}".format
    print("\n" + ", ".join(f"{key}: {value}" for key, value in report.items()) + "\n")
    print(row("measurement", "requests", "median ms", "p95 ms", "max ms", "queries", "SQL ms",
              f"p95 <= {TARGET_MS} ms"))
    for result in results:
        figures = [result[key] for key in ("requests", "median_ms", "p95_ms", "max_ms", "queries", "sql_ms")]
        ratio = f"  {result['p95_ratio']}x unfiltered (target <= 1.5x)" if "p95_ratio" in result else ""
        print(row(result["measurement"], *figures, "yes" if result["p95_ms"] <= TARGET_MS else "NO") + ratio)
    print("(queries and SQL ms: per request, over 10 requests replayed with the queries captured)")
    for result in results:
        if result["p95_ms"] > TARGET_MS:
            print(f"\n{result['measurement']}, slowest query ({result['slowest_query_ms']} ms):\n"
                  f"  {result['slowest_query']}")


def run(args, data_dir):
    prepare_environment(args.database, data_dir)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from records.models import CaseFile

    call_command("migrate", verbosity=0, interactive=False)
    if CaseFile.objects.exists():
        raise SystemExit("The database already holds case files; the benchmark needs a throwaway one.")
    call_command("collectstatic", verbosity=0, interactive=False)  # the manifest the admin pages need
    from django.contrib.auth.models import Group, Permission

    from records import access, roles
    from records.classification import set_clearance

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    set_clearance(user, actor=user, level="sealed", marks=["JUVENILE", "GBV", "FAMILY"])
    judge = get_user_model().objects.create_user("judge", "judge@example.org", None)
    bench = Group.objects.create(name="juvenile bench")
    judges = Group.objects.create(name="judges")
    judges.permissions.set([Permission.objects.get(content_type__app_label=perm.split(".")[0],
                                                   codename=perm.split(".")[1]) for perm in roles.JUDGE])
    judge.groups.add(bench, judges)
    set_clearance(judge, actor=user, level="sealed", marks=["JUVENILE", "FAMILY"])
    rng = random.Random(args.seed)
    print(f"Loading {args.cases:,} case files into {connection.vendor}...", flush=True)
    targets, load_seconds = load(rng, args.cases, args.sealed_fraction, judge, bench)
    print(f"Loaded in {load_seconds:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum will have done long before a court has 100,000 cases
    judge = get_user_model().objects.get(pk=judge.pk)
    visible = set(access.visible_cases(judge).values_list("pk", flat=True))
    seen = [target for target in targets if target[0] in visible]
    hidden = [target for target in targets if target[0] not in visible and target[2]]
    print(f"The judge may see {len(visible):,} of {len(targets):,} cases.", flush=True)
    check_hidden(judge, hidden[:20])
    # The same planned requests for both: look-ups of cases the judge may see.
    planned = lookup_requests(rng, seen, args.requests)
    reference = Client()
    reference.force_login(user)
    # The reference is the same view with the access filter taken out, as it was before this layer.
    restrict = access.restrict
    access.restrict = lambda user, queryset: queryset
    try:
        unfiltered = measure(reference, planned)
    finally:
        access.restrict = restrict
    filtered_client = Client()
    filtered_client.force_login(judge)
    filtered = measure(filtered_client, planned)
    for result in unfiltered:
        result["measurement"] += " (unfiltered)"
    for result, before in zip(filtered, unfiltered, strict=True):
        result["measurement"] += " (judge)"
        result["p95_ratio"] = round(result["p95_ms"] / before["p95_ms"], 2)
    results = [value for pair in zip(unfiltered, filtered, strict=True) for value in pair]
    report = environment_report(load_seconds)
    report["sealed_fraction"] = args.sealed_fraction
    report["judge_visible_cases"] = len(visible)
    print_report(report, results)
    out = ROOT / "benchmarks" / "results" / f"case_lookups-{args.database}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({**report, "results": results}, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFigures written to {out.relative_to(ROOT)}")
    connection.close()


def main():
    args = parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="sijill-bench-"))
    try:
        run(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
