"""`load_demo` checks its whole corpus before loading anything, and loads it all or nothing.

Each corpus here is a few real files copied from the shared corpus, with a MANIFEST.csv written for the
test from their real rows; row N is the manifest's line N, the header being row 1.
"""

import csv
import os
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from records.models import CaseFile, Document, Version

pytestmark = pytest.mark.django_db

JUDGMENT = "us-cadc-1997-ideal-electronic-v-international-fidelity.txt"
FRENCH_JUDGMENT = "fr-ccass-com-2020-11-18-19-19463.json"
LAW = "za-divorce-act-70-of-1979.html"
PNG_NAMED_AS_PDF = "bad/png-named-as-pdf-za-sca-2024-p1.pdf"


@pytest.fixture
def real_rows(corpus_dir):
    """The shared corpus's manifest rows by file name, and its header."""
    with open(corpus_dir / "MANIFEST.csv", newline="", encoding="utf-8") as manifest:
        reader = csv.DictReader(manifest)
        return {row["file"]: row for row in reader}, reader.fieldnames


@pytest.fixture
def small_corpus(tmp_path, corpus_dir, real_rows, demo_settings):
    """Write a corpus folder: the given real files copied in, and a manifest of the given rows."""
    rows_by_file, header = real_rows
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in (JUDGMENT, FRENCH_JUDGMENT, LAW):
        shutil.copy(corpus_dir / name, folder / name)

    def write(rows, *, columns=header, encoding="utf-8"):
        with open(folder / "MANIFEST.csv", "w", newline="", encoding=encoding) as manifest:
            writer = csv.DictWriter(manifest, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow(rows_by_file[row] if isinstance(row, str) else {**rows_by_file[row[0]], **row[1]})
        return folder

    return write


def load(folder):
    out = StringIO()
    call_command("load_demo", corpus=str(folder), stdout=out)
    return out.getvalue()


def refusal(folder):
    with pytest.raises(CommandError) as refused:
        load(folder)
    assert not CaseFile.objects.exists() and not Document.objects.exists() and not Version.objects.exists()
    return str(refused.value)


@pytest.fixture
def outside_file(tmp_path):
    """A file beside the corpus folder, which no manifest may make the demo read."""
    path = tmp_path / "secret.txt"
    path.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return path


def test_a_path_that_climbs_out_of_the_corpus_folder_is_refused(small_corpus, outside_file):
    folder = small_corpus([JUDGMENT, (LAW, {"file": "../secret.txt"})])

    message = refusal(folder)

    assert "row 3: file '../secret.txt' leads out of the corpus folder" in message


def test_an_absolute_path_is_refused(small_corpus, outside_file):
    folder = small_corpus([JUDGMENT, (LAW, {"file": str(outside_file)})])

    message = refusal(folder)

    assert f"row 3: file '{outside_file}' is an absolute path" in message


def test_a_link_out_of_the_corpus_folder_is_refused(small_corpus, outside_file):
    folder = small_corpus([JUDGMENT, (LAW, {"file": "law.txt"})])
    os.symlink(outside_file, folder / "law.txt")

    message = refusal(folder)

    assert f"row 3: file 'law.txt' is a link to {outside_file}, outside the corpus folder" in message


def test_missing_columns_are_named_and_nothing_is_loaded(small_corpus, real_rows):
    columns = [column for column in real_rows[1] if column not in {"date", "kind"}]
    folder = small_corpus([JUDGMENT, LAW], columns=columns)

    message = refusal(folder)

    assert "row 1: MANIFEST.csv lacks the column(s) date, kind" in message


def test_a_date_that_is_no_date_names_its_row_and_value(small_corpus):
    folder = small_corpus([JUDGMENT, (LAW, {"date": "1979-13-08"})])

    message = refusal(folder)

    assert "row 3: date '1979-13-08' is not a date" in message


def test_a_manifest_not_in_utf8_is_refused_naming_the_line(small_corpus):
    # The French decision's title has accented letters, which Latin-1 writes as bytes UTF-8 refuses.
    folder = small_corpus([JUDGMENT, FRENCH_JUDGMENT], encoding="latin-1")

    message = refusal(folder)

    assert "row 3: MANIFEST.csv is not UTF-8" in message
    assert "row 2" not in message


def test_a_text_file_not_in_utf8_is_refused_naming_the_file(small_corpus):
    folder = small_corpus([JUDGMENT, LAW])
    (folder / LAW).write_bytes("<p>Loi sur le divorce, arrêt</p>".encode("latin-1"))

    message = refusal(folder)

    assert f"row 3: '{LAW}' is not UTF-8 text: byte 0xEA" in message


def test_every_problem_of_the_manifest_is_listed_with_its_row(small_corpus):
    folder = small_corpus(
        [
            (JUDGMENT, {"date": "someday"}),
            FRENCH_JUDGMENT,
            (LAW, {"file": "missing.html"}),
            (LAW, {"kind": "statute", "language": "xx"}),
            (LAW, {"title": ""}),
        ]
    )

    message = refusal(folder)

    assert "5 problem(s); nothing was loaded" in message
    assert "row 2: date 'someday' is not a date" in message
    assert "row 4: file 'missing.html' is not a file in the corpus folder" in message
    assert "row 5: kind 'statute' is not one of" in message and "row 5: language 'xx' is not one of" in message
    assert "row 6: title is empty" in message
    assert "row 3" not in message


def test_a_bad_row_in_the_middle_loads_nothing_and_the_fixed_manifest_then_loads_fully(small_corpus):
    folder = small_corpus([JUDGMENT, (FRENCH_JUDGMENT, {"date": "2020-11-31"}), LAW])

    message = refusal(folder)
    assert "row 3: date '2020-11-31' is not a date" in message

    small_corpus([JUDGMENT, FRENCH_JUDGMENT, LAW])
    output = load(folder)

    assert "Loaded 2 case files and 1 pieces of legislation" in output
    assert set(Version.objects.values_list("original_name", flat=True)) == {JUDGMENT, FRENCH_JUDGMENT, LAW}


def test_a_file_refused_part_way_through_the_load_leaves_nothing_behind(small_corpus, corpus_dir, originals_dir):
    # It passes the manifest's checks, but the upload check refuses a PNG named .pdf after the first
    # case file is made: the whole load is undone, its stored bytes too, and a rerun can finish.
    misnamed = "signed-copy.pdf"
    folder = small_corpus([JUDGMENT, (FRENCH_JUDGMENT, {"file": misnamed, "format": "born-digital-pdf"}), LAW])
    shutil.copy(corpus_dir / PNG_NAMED_AS_PDF, folder / misnamed)

    message = refusal(folder)

    assert misnamed in message
    assert not [path for path in originals_dir.rglob("*") if path.is_file()]
    (folder / misnamed).unlink()
    small_corpus([JUDGMENT, FRENCH_JUDGMENT, LAW])
    assert "Loaded 2 case files" in load(folder)
    assert CaseFile.objects.filter(number="JUV-1/2025").count() == 1
