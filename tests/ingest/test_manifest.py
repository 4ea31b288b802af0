"""The batch manifest: encodings, columns, and every row checked with every problem named."""

import csv
import io
from datetime import date

import pytest

from ingest.manifest import CP1256, UTF8, UTF8_BOM, UTF16, Known, Problem, decode, known_from_database, read_manifest
from tests import factories

TODAY = date(2026, 12, 2)
KNOWN = Known.of(
    courts=[
        ("JED-COM", "Commercial Court in Jeddah"),
        ("CCASS", "Cour de cassation"),
        ("JED-AR", "المحكمة التجارية بجدة"),
    ],
    case_types=[("commercial", "Commercial", "Commercial", "تجاري"), ("civil", "Civil")],
)
# A title and file of the shared corpus (MANIFEST.csv), as a clerk would list the Jeddah judgment.
JEDDAH_FILE = "sa-jeddah-commercial-court-2022-08-03-ahkam-43292.txt"
JEDDAH_SCAN = "scan-sa-jeddah-commercial-court-2022-08-03-ahkam-43292-p1.jpg"
JEDDAH_TITLE = "حكم المحكمة التجارية"
HEADER = ["court", "case_number", "case_type", "filing_date", "judgment_date", "title", "languages", "file"]


def csv_text(rows, delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def read(rows, encoding="utf-8", **kwargs):
    return read_manifest(csv_text(rows).encode(encoding), KNOWN, today=TODAY, **kwargs)


def row(**values):
    base = {
        "court": "JED-COM",
        "case_number": "43292",
        "case_type": "commercial",
        "filing_date": "2022-03-01",
        "judgment_date": "2022-08-03",
        "title": JEDDAH_TITLE,
        "languages": "ara",
        "file": JEDDAH_FILE,
    }
    base.update(values)
    return [base[column] for column in HEADER]


def where(manifest):
    return [(problem.row, problem.column) for problem in manifest.problems]


# Encodings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "named"), [("utf-8", UTF8), ("utf-8-sig", UTF8_BOM), ("utf-16", UTF16), ("utf-16-be", None)]
)
def test_unicode_encodings_are_read_and_named(encoding, named):
    text = csv_text([HEADER, row()])
    raw = text.encode(encoding)
    if encoding == "utf-16-be":  # with its BOM, as Excel's "Unicode text" writes it
        raw, named = b"\xfe\xff" + raw, UTF16
    manifest = read_manifest(raw, KNOWN, today=TODAY)
    assert manifest.problems == []
    assert manifest.encoding == named
    assert manifest.rows[0].title == JEDDAH_TITLE
    assert manifest.rows[0].court == "JED-COM"
    assert f"read as {named}" in manifest.report()


def test_windows_1256_arabic_is_detected_and_named():
    rows = [HEADER, row(court="المحكمة التجارية بجدة", case_type="تجاري", title=JEDDAH_TITLE + " — نظام الأحداث")]
    manifest = read(rows, encoding="cp1256")
    assert manifest.problems == []
    assert manifest.encoding == CP1256
    assert manifest.rows[0].title == "حكم المحكمة التجارية — نظام الأحداث"
    assert manifest.rows[0].court == "JED-AR"
    assert manifest.rows[0].case_type == "commercial"
    assert "Manifest read as Windows-1256." in manifest.report()


def test_windows_1252_french_is_refused_not_guessed():
    title = "Cour de cassation, chambre commerciale, 18 novembre 2020, pourvoi n° 19-19.463, société débitrice"
    raw = csv_text([HEADER, row(court="CCASS", title=title)]).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    manifest = read_manifest(raw, KNOWN, today=TODAY)
    assert manifest.encoding is None
    assert manifest.rows == []
    assert manifest.problems == [Problem(0, "", "The manifest is not UTF-8, UTF-16 or Windows-1256; save it as UTF-8.")]


def test_utf16_without_bom_is_refused():
    with pytest.raises(ValueError, match="save it as UTF-8"):
        decode(csv_text([HEADER, row()]).encode("utf-16-le"))


def test_semicolon_delimiter_is_detected_from_the_header():
    raw = csv_text([HEADER, row(languages="ara;fra")], delimiter=";").encode("utf-8")
    manifest = read_manifest(raw, KNOWN, today=TODAY)
    assert manifest.problems == []
    assert manifest.delimiter == ";"
    assert manifest.rows[0].languages == ("ara", "fra")


# Columns --------------------------------------------------------------------------------------------


def test_a_missing_required_column_is_one_problem_naming_it():
    header = [column for column in HEADER if column != "case_type"]
    manifest = read([header, row()[:2] + row()[3:]])
    assert manifest.problems == [Problem(1, "case_type", "Required column case_type is missing from the header.")]
    assert manifest.rows == []


def test_an_unknown_column_is_refused_so_a_typo_loses_nothing():
    manifest = read([HEADER + ["jugment_date"], row() + ["2022-08-04"]])
    assert where(manifest) == [(1, "jugment_date")]
    assert "Unknown column 'jugment_date'" in manifest.problems[0].message
    assert manifest.rows == []


def test_header_names_are_trimmed_case_insensitive_and_aliased():
    header = [" Court ", "Case Number", "CASE_TYPE", "filing-date", "judgment_date", "Title", "Language", "Path"]
    manifest = read([header, row()])
    assert manifest.problems == []
    assert manifest.rows[0].case_number == "43292"
    assert manifest.rows[0].file == JEDDAH_FILE


# Values ---------------------------------------------------------------------------------------------


def test_every_row_is_checked_and_every_problem_collected():
    manifest = read(
        [
            HEADER,
            row(court="Tribunal de Nulle Part"),
            row(filing_date="2023-02-30", file="b.jpg"),
            row(file="c.jpg", case_number="43293"),
            row(case_type="maritime", languages="ara;xyz", file="d.jpg"),
        ]
    )
    assert where(manifest) == [(2, "court"), (3, "filing_date"), (5, "case_type"), (5, "languages")]
    assert manifest.problems[0].message == "Unknown court 'Tribunal de Nulle Part'."
    assert manifest.problems[1].message == "'2023-02-30' does not exist in the calendar."
    assert [kept.row for kept in manifest.rows] == [4]
    assert "Row 3, filing_date: '2023-02-30' does not exist in the calendar." in manifest.report()
    assert "4 problems" in manifest.report()


def test_day_first_dates_are_refused_as_ambiguous_and_eastern_digits_read():
    manifest = read(
        [HEADER, row(filing_date="03/04/2022"), row(filing_date="٢٠٢٢-٠٣-٠٢", case_number="٤٣٢٩٣", file="b.jpg")]
    )
    assert where(manifest) == [(2, "filing_date")]
    assert "day-first or month-first" in manifest.problems[0].message
    assert manifest.rows[0].filing_date == date(2022, 3, 2)
    assert manifest.rows[0].case_key == ("JED-COM", "43293")


def test_dates_must_be_in_order_and_not_in_the_future():
    manifest = read(
        [
            HEADER,
            row(filing_date="2022-08-03", judgment_date="2022-03-01"),
            row(judgment_date="2027-01-12", case_number="43293", file="b.jpg"),
        ]
    )
    assert where(manifest) == [(2, "judgment_date"), (3, "judgment_date")]
    assert manifest.problems[0].message == "The judgment, 2022-03-01, is before the filing date, 2022-08-03."
    assert manifest.problems[1].message == "2027-01-12 is in the future; today is 2026-12-02."


def test_closure_before_judgment_is_a_problem():
    header = HEADER + ["closure_date"]
    manifest = read([header, row() + ["2022-05-01"]])
    assert where(manifest) == [(2, "closure_date")]
    assert "before the judgment, 2022-08-03" in manifest.problems[0].message


PARTY_HEADER = HEADER + ["party_names", "party_roles", "national_ids", "dates_of_birth", "sexes"]


def test_parties_are_parallel_lists():
    manifest = read(
        [
            PARTY_HEADER,
            row() + ["مؤسسة الأجهزة الكهربائية|شركة المقاولات", "applicant|respondent", "1012345678|", "|", "|"],
            row(file="b.jpg") + ["Aylin Yılmaz;Mehmet Demir", "applicant", "", "", ""],
            row(file="c.jpg") + ["Aylin Yılmaz", "accused", "---", "1990-02-30", "x"],
        ]
    )
    assert where(manifest) == [(3, "party_roles"), (4, "national_ids"), (4, "dates_of_birth"), (4, "sexes")]
    assert manifest.problems[0].message == (
        "party_roles has 1 item(s) where party_names has 2; the lists go in parallel."
    )
    parties = manifest.rows[0].parties
    assert [(party.name, party.role, party.national_id) for party in parties] == [
        ("مؤسسة الأجهزة الكهربائية", "applicant", "1012345678"),
        ("شركة المقاولات", "respondent", ""),
    ]
    assert parties[0].sex == "not_recorded"


def test_every_list_out_of_parallel_is_named_and_sexes_have_aliases():
    manifest = read(
        [
            PARTY_HEADER,
            row() + ["A|B|C", "applicant|respondent", "1|2|3", "|", "F|ذكر|homme"],
            row(file="b.jpg") + ["Aylin Yılmaz|Mehmet Demir", "victim|accused", "", "", "أنثى|M"],
        ]
    )
    assert where(manifest) == [(2, "party_roles"), (2, "dates_of_birth")]
    assert [party.sex for party in manifest.rows[0].parties] == ["female", "male"]


def test_values_longer_than_the_records_hold_are_refused():
    manifest = read([HEADER, row(case_number="9" * 101, title="ح" * 401)])
    assert where(manifest) == [(2, "case_number"), (2, "title")]
    assert manifest.problems[1].message == "ح" * 30 + "… is 401 characters long; at most 400 fit."


def test_unknown_party_role_and_document_kind():
    header = PARTY_HEADER + ["document_kind"]
    manifest = read([header, row() + ["Aylin Yılmaz", "judge", "", "", "F", "verdict"]])
    assert where(manifest) == [(2, "party_roles"), (2, "document_kind")]


def test_paths_absolute_climbing_and_duplicate_are_refused():
    manifest = read(
        [
            HEADER,
            row(file="../etc/passwd"),
            row(file="/etc/passwd"),
            row(file="C:\\scans\\a.jpg"),
            row(file=JEDDAH_SCAN),
            row(file="./" + JEDDAH_SCAN),
        ]
    )
    assert where(manifest) == [(2, "file"), (3, "file"), (4, "file"), (6, "file")]
    assert "climbs out of the batch folder" in manifest.problems[0].message
    assert "absolute path" in manifest.problems[1].message
    assert "absolute path" in manifest.problems[2].message
    assert manifest.problems[3].message == f"./{JEDDAH_SCAN} is already named on row 5."


def test_rows_of_one_case_must_agree():
    manifest = read([HEADER, row(), row(file=JEDDAH_SCAN, filing_date="2022-03-02")])
    assert where(manifest) == [(3, "filing_date")]
    assert "contradicts 2022-03-01 given for the same case on row 2" in manifest.problems[0].message


def test_spreadsheet_row_numbers_count_records_not_lines():
    manifest = read([HEADER, row(title="line one\nline two"), row(court="nowhere", file="b.jpg")])
    assert where(manifest) == [(3, "court")]


def test_happy_path_typed_rows_grouped_by_case(corpus_dir):
    header = HEADER + ["legacy_numbers", "document_kind", "building", "box"]
    titles = {}
    with open(corpus_dir / "MANIFEST.csv", encoding="utf-8") as listing:
        for entry in csv.DictReader(listing):
            titles[entry["file"]] = entry["title"]
    tr = "tr-yargitay-9hd-2026-01-12-2025-10062-e-2026-20-k.txt"
    manifest = read(
        [
            header,
            row(title=titles[JEDDAH_FILE]) + ["", "judgment", "Annex B", "12"],
            row(
                court="CCASS",
                case_number="",
                case_type="civil",
                filing_date="2025-01-02",
                judgment_date="2026-01-12",
                title=titles[tr],
                languages="tur",
                file=tr,
            )
            + ["2025/10062 E.|2026/20 K.", "", "", ""],
            row(title="", file=JEDDAH_SCAN) + ["", "legacy_scan", "Annex B", ""],
        ]
    )
    assert manifest.problems == []
    assert list(manifest.cases()) == [("JED-COM", "43292"), ("CCASS", "2025/10062e.")]
    jeddah, scan = manifest.cases()[("JED-COM", "43292")]
    assert (jeddah.row, scan.row) == (2, 4)
    assert jeddah.filing_date == date(2022, 3, 1) and jeddah.judgment_date == date(2022, 8, 3)
    assert jeddah.title.startswith("حكم المحكمة التجارية — Saudi commercial court judgment")
    assert jeddah.document_kind == "judgment" and jeddah.box == "12"
    assert scan.title == "scan-sa-jeddah-commercial-court-2022-08-03-ahkam-43292-p1"  # from the file name
    turkish = manifest.rows[1]
    assert turkish.legacy_numbers == ("2025/10062 E.", "2026/20 K.")
    assert turkish.document_kind == "legacy_scan" and turkish.languages == ("tur",)
    assert "3 valid rows, 2 cases." in manifest.report()
    assert "No problems." in manifest.report()


@pytest.mark.django_db
def test_known_from_database_knows_courts_by_code_and_name():
    factories.InstitutionFactory(code="JED-COM", name="Commercial Court in Jeddah")
    factories.InstitutionFactory(code="OLD", name="Closed court", is_active=False)
    factories.CaseTypeFactory(code="commercial", name="Commercial", name_ar="تجاري")
    known = known_from_database()
    assert known.court("jed-com") == "JED-COM"
    assert known.court("Commercial Court in Jeddah") == "JED-COM"
    assert known.court("Closed court") is None
    assert known.case_type("تجاري") == "commercial"
    manifest = read_manifest(csv_text([HEADER, row(), row(court="OLD", file="b.jpg")]).encode(), known, today=TODAY)
    assert where(manifest) == [(3, "court")]
