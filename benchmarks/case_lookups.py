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

Access layer (records.access): --sealed-fraction of the cases (default 10%) are sealed, half of them
juvenile cases (JUVENILE mark, a child party) and half GBV cases (GBV mark); a further 5% are
confidential without marks, as are cases a court keeps back for other reasons. Every confidential or
sealed case is assigned to a bench (a group) and about half also to a judge by name. Each URL is timed,
in one run and taking turns request by request, as three users:

  unfiltered  a superuser cleared for sealed with every mark, with records.access.restrict replaced by a
              function that returns the queryset unchanged: the view as it was before the access layer,
              since the view now always filters (superusers included);
  judge       a judge (roles.JUDGE) cleared for sealed with JUVENILE and FAMILY, assigned by name to 200
              sealed juvenile cases and through the "juvenile bench" group to 300 more;
  clerk       a clerk (roles.CLERK) cleared for internal, without marks.

The issue's target is the judge's p95 within 1.5 times the unfiltered p95, for each URL. The look-ups
are of cases all three may see; before timing, the script checks that the judge finds cases sealed to
them, and that neither the judge nor the clerk finds sealed cases out of their reach (each one found
counts as a failure, and the script then exits non-zero).
"""

import argparse
import contextlib
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
from collections import Counter, namedtuple
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LIST_URL = "/admin/records/case-files/"
TARGET_MS = 300
RATIO_TARGET = 1.5
REFERENCE = ("unfiltered: the same view as a superuser cleared for sealed with every mark, with "
             "records.access.restrict monkeypatched to return the queryset unchanged")
CHUNK = 10_000
LATIN_GIVEN = ["Amina", "Grace", "John", "Fatuma", "Peter", "Wanjiru", "Otieno", "Aïcha", "Moussa",
               "Hélène", "Ibrahim", "Chukwuma", "Zeynep", "Mehmet", "Nadia", "Samuel", "Esther", "Kofi"]
LATIN_FAMILY = ["Mwangi", "Okafor", "Diallo", "Traoré", "Kamau", "Yılmaz", "Mensah", "Ndlovu", "Haddad",
                "Benali", "Achieng", "Kariuki", "Ouédraogo", "Demir", "Banda", "Mutua", "Cissé", "Oyelaran"]
ARABIC_GIVEN = ["محمد", "أحمد", "فاطمة", "عائشة", "يوسف", "مريم", "خالد", "عبد الله", "سارة", "حسن",
                "ليلى", "إبراهيم", "زينب", "عمر", "نور", "مصطفى"]
ARABIC_FAMILY = ["العلي", "الحسيني", "المصري", "بن علي", "الشريف", "التونسي", "القاسم", "الزهراني",
                 "الخطيب", "النجار", "الحداد", "السوداني"]
Target = namedtuple("Target", "pk number national_id level court_id")  # a case to look up
ROLES = {"criminal": ("victim", "accused"), "gbv": ("victim", "accused"), "juvenile": ("child", "guardian")}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per measured URL")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sealed-fraction", type=float, default=0.10,
                        help="share of cases sealed (half JUVENILE, half GBV); a further 5%% are confidential")
    parser.add_argument("--no-clerk", action="store_true", help="measure only the unfiltered view and the judge")
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
    case assigned to one of 40 other benches, and half of all restricted cases also to one of 60 other
    judges by name. Return (look-up targets, number of assignments, seconds)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from records.demo.loader import CASE_TYPES
    from records.models import Assignment, CaseFile, CaseType, Institution, LegacyNumber, Mark, Party

    marks = {mark.code: mark for mark in Mark.objects.all()}
    other_benches = [Group.objects.create(name=f"bench {index:02d}") for index in range(40)]
    user_model = get_user_model()
    other_judges = [user_model.objects.create_user(f"judge {index:02d}") for index in range(60)]
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
    targets = []  # Target per case; national_id: one party's as stored, or None
    assigned = 0
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
            targets.append(Target(*target, level, court.pk))
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
                if rng.random() < 0.5:  # the presiding judge by name, besides the bench
                    assignments.append(Assignment(case=case, user=rng.choice(other_judges), assigned_by=judge))
        assigned += len(assignments)
        with transaction.atomic():
            CaseFile.objects.bulk_create(cases, batch_size=2000)
            Party.objects.bulk_create(parties, batch_size=2000)
            LegacyNumber.objects.bulk_create(legacy, batch_size=2000)
            CaseFile.marks.through.objects.bulk_create(case_marks, batch_size=2000)
            Assignment.objects.bulk_create(assignments, batch_size=2000)
        print(f"  {offset + len(cases):>7,} cases loaded ({time.perf_counter() - started:.0f} s)", flush=True)
    return targets, assigned, time.perf_counter() - started


def lookup_requests(rng, targets, count):
    """The measured requests, chosen before timing starts: {label: [(url, what the page must show)]}.

    A national ID finds one case, so its page must link to that case. A case number is found in every
    court that has it (up to 60 cases), so the page must show the number as a cell's text: "1/2019"
    inside "11/2019" or echoed in the search box does not count.
    """
    with_id = [target for target in targets if target.national_id]
    requests = {"case list": [], "national ID look-up": [], "case number look-up": []}
    for _ in range(count):
        page = f"?p={rng.randint(1, 20)}" if rng.random() < 0.5 else ""
        requests["case list"].append((LIST_URL + page, None))
        target = rng.choice(with_id)
        typed = target.national_id.replace(" ", "") if rng.random() < 0.5 else target.national_id
        requests["national ID look-up"].append(
            (f"{LIST_URL}?{urlencode({'q': typed})}", re.escape(str(target.pk))))
        number = rng.choice(targets).number
        requests["case number look-up"].append(
            (f"{LIST_URL}?{urlencode({'q': number})}", rf">\s*{re.escape(number)}\s*<"))
    return requests


def check_reach(name, client, targets, *, must_find, bypass=contextlib.nullcontext):
    """Look up each target by its party's national ID and by its case number (in its court: a number
    recurs in every court, more than a page's worth); return the number of failures: a case the user
    should find and does not, or one out of their reach that they find."""
    failures = 0
    for target in targets:
        for query in ({"q": target.national_id}, {"q": target.number, "court": target.court_id}):
            with bypass():
                response = client.get(f"{LIST_URL}?{urlencode(query)}")
            found = response.status_code == 200 and str(target.pk) in response.content.decode()  # UUIDs
            if found != must_find:
                failures += 1
                print(f"  FAILURE: {name}'s look-up of {query} {'did not find' if must_find else 'found'} "
                      f"case {target.pk}", flush=True)
    what = "found" if must_find else "did not find"
    print(f"  {name} {what} {len(targets) * 2 - failures} of {len(targets) * 2} look-ups of "
          f"{'their' if must_find else 'out-of-reach'} sealed cases, as they must", flush=True)
    return failures


@contextlib.contextmanager
def bypassed():
    """The access filter taken out of every view for the duration: the unfiltered reference."""
    from records import access

    restrict = access.restrict
    access.restrict = lambda user, queryset: queryset
    try:
        yield
    finally:
        access.restrict = restrict


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


def measure(users, requests):
    """Time each planned request as each user, {name: (client, context)}, taking turns request by request
    (and starting with a different user each time) so that a change in the machine's load falls on all
    alike; then replay a few per user with queries captured, to split SQL from the rest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for label, planned in requests.items():
        print(f"Measuring {label}...", flush=True)
        names = list(users)
        times = {name: [] for name in names}
        for client, context in users.values():
            with context():
                for url, expected in planned[:3]:
                    get(client, url, expected)  # warm-up: template loading, the connection, first-use caches
        for index, (url, expected) in enumerate(planned):
            for name in names[index % len(names):] + names[:index % len(names)]:
                client, context = users[name]
                with context():
                    times[name].append(get(client, url, expected))
        replayed = planned[:10]
        for name, (client, context) in users.items():
            with context(), CaptureQueriesContext(connection) as captured:  # apart: capture slows queries
                for url, expected in replayed:
                    get(client, url, expected)
            queries = captured.captured_queries
            slowest = max(queries, key=lambda query: float(query["time"]))
            ordered = sorted(times[name])
            results.append({
                "measurement": f"{label} ({name})", "url": label, "user": name, "requests": len(ordered),
                "median_ms": round(statistics.median(ordered), 1),
                "p95_ms": round(statistics.quantiles(ordered, n=100, method="inclusive")[94], 1),
                "max_ms": round(ordered[-1], 1), "queries": round(len(queries) / len(replayed)),
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
    row = "{:<44}{:>9}{:>11}{:>9}{:>9}{:>9}{:>8}  {:<14}{}".format
    print("\n" + ", ".join(f"{key}: {value}" for key, value in report.items()) + "\n")
    print(row("measurement", "requests", "median ms", "p95 ms", "max ms", "queries", "SQL ms",
              f"p95 <= {TARGET_MS} ms", f"p95 / unfiltered p95 <= {RATIO_TARGET}"))
    for result in results:
        figures = [result[key] for key in ("requests", "median_ms", "p95_ms", "max_ms", "queries", "sql_ms")]
        ratio = ""
        if "p95_ratio" in result:
            ratio = f"{result['p95_ratio']:.2f}  {'yes' if result['p95_ratio'] <= RATIO_TARGET else 'NO'}"
        print(row(result["measurement"], *figures, "yes" if result["p95_ms"] <= TARGET_MS else "NO", ratio))
    print("(queries and SQL ms: per request, over 10 requests replayed with the queries captured)")
    print(f"({REFERENCE})")
    for result in results:
        if result["p95_ms"] > TARGET_MS or result.get("p95_ratio", 0) > RATIO_TARGET:
            print(f"\n{result['measurement']}, slowest query ({result['slowest_query_ms']} ms):\n"
                  f"  {result['slowest_query']}")


def make_user(username, role, *, actor, level, marks, groups=()):
    """A staff user with a role's permissions (through a group named after it) and a clearance."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from records import roles
    from records.classification import set_clearance_by_command

    role_group, created = Group.objects.get_or_create(name=f"{role}s")
    if created:
        role_group.permissions.set([Permission.objects.get(content_type__app_label=perm.split(".")[0],
                                                           codename=perm.split(".")[1])
                                    for perm in roles.ROLES[role]])
    user = get_user_model().objects.create_user(username, f"{username}@example.org", None)
    user.groups.add(role_group, *groups)
    set_clearance_by_command(user, level=level, marks=marks)
    return user


def run(args, data_dir):
    prepare_environment(args.database, data_dir)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from records import access
    from records.classification import set_clearance_by_command
    from records.models import CaseFile

    call_command("migrate", verbosity=0, interactive=False)
    if CaseFile.objects.exists():
        raise SystemExit("The database already holds case files; the benchmark needs a throwaway one.")
    call_command("collectstatic", verbosity=0, interactive=False)  # the manifest the admin pages need

    superuser = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    set_clearance_by_command(superuser, level="sealed", marks=["JUVENILE", "GBV", "FAMILY"])
    bench = Group.objects.create(name="juvenile bench")
    judge = make_user("judge", "judge", actor=superuser, level="sealed", marks=["JUVENILE", "FAMILY"],
                      groups=[bench])
    measured = {"unfiltered": superuser, "judge": judge}
    if not args.no_clerk:
        measured["clerk"] = make_user("clerk", "clerk", actor=superuser, level="internal", marks=[])
    rng = random.Random(args.seed)
    print(f"Loading {args.cases:,} case files into {connection.vendor}...", flush=True)
    targets, assigned, load_seconds = load(rng, args.cases, args.sealed_fraction, judge, bench)
    print(f"Loaded in {load_seconds:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum will have done long before a court has 100,000 cases

    users, visible = {}, {}
    for name, user in measured.items():
        user = get_user_model().objects.get(pk=user.pk)  # a fresh object: no cached reach
        visible[name] = set(access.visible_cases(user).values_list("pk", flat=True))
        client = Client()
        client.force_login(user)
        users[name] = (client, bypassed if name == "unfiltered" else contextlib.nullcontext)
    sealed = [target for target in targets if target.level == "sealed" and target.national_id]
    sealed_out_of_reach = [target for target in sealed if target.pk not in visible["judge"]]
    print(f"The judge may see {len(visible['judge']):,} of {len(targets):,} cases"
          + (f", the clerk {len(visible['clerk']):,}" if "clerk" in visible else "") + ".", flush=True)

    print("Checking reach...", flush=True)
    failures = check_reach("judge", users["judge"][0],
                           [target for target in sealed if target.pk in visible["judge"]][:10], must_find=True)
    failures += check_reach("judge", users["judge"][0], sealed_out_of_reach[:10], must_find=False)
    if "clerk" in users:
        failures += check_reach("clerk", users["clerk"][0], sealed[:10], must_find=False)
    # The unfiltered reference must find what the judge may not: proof that the filter is really bypassed.
    failures += check_reach("unfiltered", users["unfiltered"][0], sealed_out_of_reach[:5], must_find=True,
                            bypass=bypassed)

    # The same planned requests for every user: look-ups of cases that all of them may see.
    everyone = set.intersection(*visible.values())
    planned = lookup_requests(rng, [target for target in targets if target.pk in everyone], args.requests)
    load_before = " ".join(f"{load:.1f}" for load in os.getloadavg())
    results = measure(users, planned)
    reference = {result["url"]: result["p95_ms"] for result in results if result["user"] == "unfiltered"}
    for result in results:
        if result["user"] != "unfiltered":
            result["p95_ratio"] = round(result["p95_ms"] / reference[result["url"]], 2)
            result["within_ratio_target"] = result["p95_ratio"] <= RATIO_TARGET

    report = environment_report(load_seconds)
    report["load_average_before_measuring"] = load_before
    report.update(sealed_fraction=args.sealed_fraction, confidential_fraction=0.05, assignments=assigned,
                  judge_visible_cases=len(visible["judge"]), reach_check_failures=failures)
    if "clerk" in visible:
        report["clerk_visible_cases"] = len(visible["clerk"])
    print_report(report, results)
    out = ROOT / "benchmarks" / "results" / f"case_lookups-{args.database}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({**report, "reference": REFERENCE, "ratio_target": RATIO_TARGET,
                               "results": results}, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFigures written to {out.relative_to(ROOT)}")
    connection.close()
    if failures:
        raise SystemExit(f"{failures} look-ups broke the access rule (see FAILURE above).")


def main():
    args = parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="sijill-bench-"))
    try:
        run(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
