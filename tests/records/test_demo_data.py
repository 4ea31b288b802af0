"""`load_demo`: accounts, case files and legislation from a corpus folder, made through the services.

What the corpus should yield is read from its MANIFEST.csv here, independently of the loader.
"""

import csv
import datetime
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from records import access
from records.lifecycle import Status
from records.models import CaseFile, Document, StatusChange, Version
from tests.digests import sha256_of

pytestmark = pytest.mark.django_db

ACCOUNTS = {"admin", "clerk", "registrar", "judge", "juvenile-clerk"}



def manifest_rows(folder):
    with open(Path(folder) / "MANIFEST.csv", newline="", encoding="utf-8") as manifest:
        return list(csv.DictReader(manifest))


def loadable(rows):
    """Rows a demo should show: real documents, not the bad-input files nor the negative fixtures."""
    return [row for row in rows if not row["file"].startswith("bad/") and row["expected"].strip()]


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def document_languages():
    return {language for languages in Document.objects.values_list("languages", flat=True) for language in languages}


def read_logins(data_dir):
    path = data_dir / "demo-logins.txt"
    return path, dict(line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines() if line)


@pytest.fixture
def corpus_loaded(demo_settings, corpus_dir):
    demo_settings.CORPUS_DIR = corpus_dir
    output = load_demo()
    return corpus_dir, output


def test_every_real_document_of_the_corpus_is_loaded_with_its_exact_bytes(corpus_loaded):
    corpus_dir, output = corpus_loaded
    wanted = loadable(manifest_rows(corpus_dir))

    loaded = {version.original_name: version for version in Version.objects.all()}
    assert sorted(Version.objects.values_list("original_name", flat=True)) == sorted(
        Path(row["file"]).name for row in wanted
    )
    for name, version in loaded.items():
        assert version.sha256 == sha256_of(corpus_dir / name), name
        assert version.size == (corpus_dir / name).stat().st_size, name
    assert "Loaded" in output


def test_the_bad_inputs_and_the_negative_fixture_are_left_out(corpus_loaded):
    corpus_dir, _ = corpus_loaded
    rows = manifest_rows(corpus_dir)
    left_out = {Path(row["file"]).name for row in rows if row not in loadable(rows)}
    assert any(row["file"].startswith("bad/") for row in rows) and any(not row["expected"] for row in rows)

    names = set(Version.objects.values_list("original_name", flat=True))
    assert not names & left_out
    assert not Document.objects.filter(title__startswith="NEGATIVE FIXTURE").exists()


def test_there_are_documents_in_every_language_of_the_corpus(corpus_loaded):
    corpus_dir, _ = corpus_loaded
    languages_in_corpus = {row["language"] for row in loadable(manifest_rows(corpus_dir))}
    assert len(languages_in_corpus) >= 5  # Arabic, English, French, Swahili, Turkish at the time of writing

    assert languages_in_corpus <= document_languages()


def test_judgments_are_in_case_files_and_legislation_stands_alone(corpus_loaded):
    corpus_dir, _ = corpus_loaded
    rows = loadable(manifest_rows(corpus_dir))
    legislation_files = {Path(row["file"]).name for row in rows if row["kind"] == "legislation"}

    legislation = Document.objects.filter(kind="legislation")
    assert not legislation.filter(case__isnull=False).exists()
    legislation_versions = Version.objects.filter(document__in=legislation)
    assert set(legislation_versions.values_list("original_name", flat=True)) == legislation_files
    assert not Document.objects.exclude(kind="legislation").filter(case__isnull=True).exists()
    assert Document.objects.filter(kind="judgment").count() >= 5
    # The renderings of one decision are versions of one document, not documents of their own.
    assert Document.objects.filter(versions__number=2).exists()


def test_the_life_cycle_and_declarations_are_made_as_a_clerk_would_make_them(corpus_loaded):
    admin = get_user_model().objects.get(username="admin")

    # Every case starts with its registration in the history.
    for case_file in CaseFile.objects.all():
        first = case_file.status_changes.first()
        assert (first.from_status, first.to_status) == ("", Status.FILED)

    closed = CaseFile.objects.filter(status=Status.CLOSED)
    assert closed.exists()
    for case_file in closed:
        steps = list(case_file.status_changes.values_list("to_status", flat=True))
        assert steps == [Status.FILED, Status.HEARING, Status.JUDGMENT, Status.CLOSED], case_file.number
        assert case_file.date_judgment and case_file.date_closed and case_file.date_closed >= case_file.date_judgment
        assert all(change.reason for change in case_file.status_changes.all())

    declared = Document.objects.filter(kind="judgment", declared_at__isnull=False)
    assert declared.exists()
    assert all(document.case.status == Status.CLOSED for document in declared)
    assert set(declared.values_list("declared_by", flat=True)) == {admin.pk}
    assert set(Version.objects.values_list("author", flat=True)) == {admin.pk}
    assert set(StatusChange.objects.values_list("changed_by", flat=True)) == {admin.pk}


def test_demo_parties_are_found_by_their_national_id_typed_without_spaces(corpus_loaded):
    case_file = CaseFile.objects.filter(parties__national_id__contains=" ").first()
    assert case_file is not None
    party = case_file.parties.first()
    assert case_file in CaseFile.objects.matching(party.national_id.replace(" ", ""))


def test_demo_accounts_exist_and_their_passwords_are_kept_for_their_owner_only(corpus_loaded, demo_settings):
    path, logins = read_logins(demo_settings.DATA_DIR)

    assert set(logins) == ACCOUNTS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for username, password in logins.items():
        assert authenticate(username=username, password=password) is not None, username
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    clerk, registrar = users.get(username="clerk"), users.get(username="registrar")
    assert not clerk.is_superuser and clerk.has_perm("records.add_document")
    assert not clerk.has_perm("records.declare_document")
    assert registrar.has_perm("records.declare_document")
    assert len(set(logins.values())) == len(ACCOUNTS)


def test_a_second_run_loads_nothing_more(corpus_loaded, demo_settings):
    def counts():
        return [model.objects.count() for model in (CaseFile, Document, Version, StatusChange)]

    before = counts()
    logins_before = read_logins(demo_settings.DATA_DIR)[1]

    output = load_demo()

    assert counts() == before
    assert read_logins(demo_settings.DATA_DIR)[1] == logins_before
    assert get_user_model().objects.filter(username__in=ACCOUNTS).count() == len(ACCOUNTS)
    assert "nothing to load" in output


def test_without_a_corpus_folder_the_generated_demo_corpus_is_written_and_loaded(demo_settings, tmp_path):
    demo_settings.CORPUS_DIR = tmp_path / "no-such-corpus"

    output = load_demo()

    written = demo_settings.DATA_DIR / "demo-corpus"
    assert (written / "MANIFEST.csv").exists()
    assert str(written) in output
    rows = loadable(manifest_rows(written))
    assert {row["language"] for row in rows} == {"eng", "fra", "ara"}
    loaded = {version.original_name: version for version in Version.objects.all()}
    names = sorted(Version.objects.values_list("original_name", flat=True))
    assert names == sorted(row["file"] for row in rows)
    for name, version in loaded.items():
        assert version.sha256 == sha256_of(written / name)
    pdfs = [version for name, version in loaded.items() if name.endswith(".pdf")]
    assert pdfs and all(version.media_type == "application/pdf" for version in pdfs)
    assert document_languages() == {"eng", "fra", "ara"}
    assert Document.objects.filter(kind="legislation").count() == 1
    # The three cases of the generated corpus, and the sealed juvenile and GBV examples.
    assert CaseFile.objects.count() == 5
    assert set(read_logins(demo_settings.DATA_DIR)[1]) == ACCOUNTS


def test_a_corpus_option_without_a_manifest_is_refused_naming_the_folder(demo_settings, tmp_path):
    folder = tmp_path / "not-a-corpus"
    folder.mkdir()
    (folder / "judgment.txt").write_text("A file, but no MANIFEST.csv beside it.")

    with pytest.raises(CommandError, match=str(folder)):
        load_demo("--corpus", str(folder))

    assert not CaseFile.objects.exists() and not Document.objects.exists()
    assert not (demo_settings.DATA_DIR / "demo-corpus").exists()


def test_the_demo_juvenile_and_gbv_cases_are_sealed_and_seen_by_the_demo_judge_only(demo_settings):
    load_demo()
    users = {user.username: user for user in get_user_model().objects.all()}
    sealed = CaseFile.objects.filter(case_type__code__in=["juvenile", "gbv"])
    assert {case.level for case in sealed} == {"sealed"}
    assert {mark for case in sealed for mark in case.marks.values_list("code", flat=True)} == {"JUVENILE", "GBV"}
    assert set(access.visible_cases(users["judge"]).filter(pk__in=sealed)) == set(sealed)
    for name in ("admin", "clerk", "registrar"):
        assert not access.visible_cases(users[name]).filter(pk__in=sealed).exists(), name


def test_the_demos_juvenile_bench_works_its_cases_end_to_end(corpus_dir, settings):
    """Register, upload, classify: the bench's clerk registers a juvenile case and uploads to it, the judge
    reads and classifies it; the case reached them by route, not by anyone's memory."""
    from records import classification, services
    from records.models import CaseType, Institution

    call_command("load_demo", corpus=str(corpus_dir), stdout=StringIO())
    users = get_user_model().objects
    bench_clerk, judge, clerk = (users.get(username=name) for name in ("juvenile-clerk", "judge", "clerk"))
    assert {u.get_full_name() for u in users.all()} >= {"Nadia Mansour", "Jean-Paul Uwimana"}
    demo_juvenile = CaseFile.objects.get(number="JUV-1/2025")
    assert access.can_see(judge, demo_juvenile) and access.can_see(bench_clerk, demo_juvenile)
    case_file = CaseFile(
        number="JUV-2/2026",
        court=Institution.objects.filter(kind="court").first(),
        case_type=CaseType.objects.get(code="juvenile"),
        date_filed=datetime.date(2026, 1, 12),
    )
    services.register_case_file(case_file, actor=bench_clerk)
    with open(corpus_dir / "us-scotus-2013-tarrant-v-herrmann.pdf", "rb") as scan:
        document = services.add_document(
            Document(case=case_file, kind="report", title="Social enquiry report"), actor=bench_clerk, file=scan
        )
    assert access.can_see(judge, document) and not access.can_see(clerk, case_file)
    classification.classify_document(document, actor=judge, level="sealed", marks=["JUVENILE", "FAMILY"])
    assert access.can_see(judge, document) and not access.can_see(bench_clerk, document)  # FAMILY is beyond them
