"""Text formats read as one page: each format, encodings, the prose of JSON, visual-order Arabic, bad files."""

import io
import json
import unicodedata
import zipfile

import pypdfium2
import pytest
from bidi import get_display

from ingest import extract, pdftext, rtl, textfiles
from ingest.normalise import cer
from ingest.pages import UnreadableFile
from records.models import TextSource
from tests.ingest.test_pages import manifest


def read(path):
    result = extract.read_page(path, 1).result
    assert result.method == TextSource.FILE_TEXT and result.number == 1 and result.words == []
    return result


def flat(text):
    return " ".join(text.split())


@pytest.mark.parametrize(
    "name, engine",
    [
        ("au-charter-democracy-elections-governance-2007.html", "html"),
        ("tz-cap1-interpretation-of-laws-act.html", "html"),
        ("us-scotus-1891-reagan-v-aiken.html", "html"),
        ("za-consumer-protection-act-68-of-2008.html", "html"),
        ("za-divorce-act-70-of-1979.html", "html"),
        ("fr-ccass-com-2020-11-18-19-19463.json", "json"),
        ("fr-tcom-la-roche-sur-yon-2022-11-23-2022004346.json", "json"),
        ("sa-documents-and-archives-law-1409h.json", "json"),
        ("sa-juveniles-law-1439h.json", "json"),
        ("tz-constitution-1977-swahili.akn.xml", "xml"),
        ("za-gjhc-2020-s-v-pietropaolo.docx", "docx"),
        ("us-cadc-1997-ideal-electronic-v-international-fidelity.txt", "text"),
        ("sa-jeddah-commercial-court-2022-08-03-ahkam-43292.txt", "text"),
        ("tr-yargitay-9hd-2026-01-12-2025-10062-e-2026-20-k.txt", "text"),
    ],
)
def test_each_text_format_gives_one_page_with_the_phrase_a_search_must_find(corpus_dir, name, engine):
    result = read(corpus_dir / name)
    expected = manifest(corpus_dir)[name]["expected"]
    assert result.engine == engine and result.unit == ""
    assert flat(expected).lower() in flat(result.text).lower()
    assert "<" not in result.text[:2000] or engine == "text"  # no markup left
    assert result.text == unicodedata.normalize("NFC", result.text) and not rtl.BIDI_CONTROLS.search(result.text)


def test_a_text_file_has_no_page_images(corpus_dir):
    read_ = extract.read_page(corpus_dir / "za-divorce-act-70-of-1979.html", 1)
    assert read_.preview is None and read_.thumbnail is None


def test_html_keeps_what_the_page_shows_and_puts_blocks_on_lines(corpus_dir, tmp_path):
    prose = (
        (corpus_dir / "us-cadc-1997-ideal-electronic-v-international-fidelity.txt")
        .read_text(encoding="utf-8")
        .split("\n\n")
    )
    paragraphs = [flat(block) for block in prose if len(block) > 200][:2]
    page = (
        "<html><head><title>Ideal Electronic</title><style>p { color: navy }</style>"
        "<script>var hidden = 'International Fidelity';</script></head><body>"
        f"<h1>No. 96-7169</h1><p>{paragraphs[0]}</p><p>{paragraphs[1].replace(' ', ' <b>', 1)}</b></p>"
        "<table><tr><td>Argued</td><td>September 3, 1997</td></tr></table></body></html>"
    )
    path = tmp_path / "opinion.htm"
    path.write_text(page, encoding="utf-8")
    text = read(path).text
    assert "color" not in text and "var hidden" not in text and "Ideal Electronic" not in text.split("\n")[0]
    assert text.split("\n\n")[:3] == ["No. 96-7169", paragraphs[0], paragraphs[1]]
    assert "Argued\tSeptember 3, 1997" in text


def test_styled_spans_side_by_side_do_not_glue_words(corpus_dir):
    text = flat(read(corpus_dir / "au-charter-democracy-elections-governance-2007.html").text)
    assert "Preamble We, the Member States" in text and "(AU); Inspired" in text


def test_json_prose_keeps_sentences_and_leaves_out_ids_dates_urls_and_repeats(corpus_dir):
    name = "fr-ccass-com-2020-11-18-19-19463.json"
    record = json.loads((corpus_dir / name).read_text(encoding="utf-8"))
    text = read(corpus_dir / name).text
    assert record["id"] not in text and record["decision_date"] not in text.split("\n")
    assert record["files"][0]["url"] not in text and record["ecli"] not in text
    assert record["chamber"] in text and record["summary"][:200] in text
    # "text" and "displayText" hold the same decision: it is given once.
    line = next(line for line in record["text"].split("\n") if len(line) > 80)
    assert text.count(line.strip()) == 1
    # The order is the document's: the decision comes before the summary that follows it in the record.
    assert text.index(line.strip()) < text.index(record["summary"][:200])


def test_json_paragraphs_already_given_whole_are_not_repeated(corpus_dir):
    law = json.loads((corpus_dir / "sa-juveniles-law-1439h.json").read_text(encoding="utf-8"))
    text = read(corpus_dir / "sa-juveniles-law-1439h.json").text
    article = law["articles"][0]
    paragraph = article["paragraphs"][0]["text"]
    assert paragraph in article["text"] and text.count(paragraph) == 1
    assert article["number_text"] in text  # two words: a heading is prose


def test_json_lines_are_read_record_by_record(corpus_dir, tmp_path):
    law = json.loads((corpus_dir / "sa-documents-and-archives-law-1409h.json").read_text(encoding="utf-8"))
    path = tmp_path / "articles.ndjson"
    path.write_text(
        "\n".join(json.dumps({"n": a["number"], "text": a["text"]}, ensure_ascii=False) for a in law["articles"]),
        encoding="utf-8",
    )
    result = read(path)
    assert result.engine == "jsonl"
    positions = [result.text.index(article["text"].split("\n")[0]) for article in law["articles"]]
    assert positions == sorted(positions)


def test_the_visual_order_fixture_is_not_taken_as_text(corpus_dir):
    result = read(corpus_dir / "ae-federal-decree-law-39-2022-visual-order-negative.jsonl")
    assert result.text == ""
    assert any("visual (reversed) order" in note and "cannot be recovered" in note for note in result.notes)


def test_visual_order_arabic_in_page_lines_is_put_in_reading_order(corpus_dir, tmp_path):
    document = pypdfium2.PdfDocument(str(corpus_dir / "ae-federal-decree-law-39-2022-compulsory-education.pdf"))
    logical = pdftext.page_text(document[1])
    document.close()
    lines = [line for line in logical.split("\n") if line.strip()]
    assert max(len(line) for line in lines) <= textfiles.MAX_DISPLAY_LINE
    path = tmp_path / "visual.txt"
    path.write_text("\n".join(get_display(line, base_dir="R") for line in lines), encoding="utf-8")
    assert rtl.detect_order(path.read_text(encoding="utf-8")).order == "visual"

    result = read(path)
    assert cer(result.text, logical) < 0.02
    assert any("put in reading order" in note for note in result.notes)


def test_logical_arabic_is_kept_as_written(corpus_dir):
    name = "sa-riyadh-commercial-court-2022-ahkam-52854.txt"
    original = (corpus_dir / name).read_text(encoding="utf-8")
    result = read(corpus_dir / name)
    assert result.notes == [] and flat(result.text) == flat(unicodedata.normalize("NFKC", original))


def test_legacy_encodings_are_recognised_and_named(corpus_dir, tmp_path):
    original = (corpus_dir / "sa-jeddah-commercial-court-2022-08-03-ahkam-43292.txt").read_text(encoding="utf-8")
    text = original.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))  # Windows-1256 has no Eastern digits
    text = "".join(char for char in text if char.encode("cp1256", errors="ignore"))
    (tmp_path / "cp1256.txt").write_bytes(text.encode("cp1256"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "utf16-unmarked.txt").write_bytes(text.encode("utf-16-le"))
    result = read(tmp_path / "cp1256.txt")
    assert flat(result.text) == flat(unicodedata.normalize("NFKC", text)) and "decoded as cp1256" in result.notes
    assert flat(read(tmp_path / "utf16.txt").text) == flat(unicodedata.normalize("NFKC", text))
    assert flat(read(tmp_path / "utf16-unmarked.txt").text) == flat(unicodedata.normalize("NFKC", text))


def _zip(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_an_odt_gives_its_paragraphs_with_notes_after_the_text(corpus_dir, tmp_path):
    paragraphs = [
        line
        for line in (corpus_dir / "tr-yargitay-9hd-2026-01-12-2025-10062-e-2026-20-k.txt")
        .read_text(encoding="utf-8")
        .split("\n")
        if len(line) > 100
    ][:3]
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    body = (
        f"<text:h>{paragraphs[0][:40]}</text:h>"
        f'<text:p>{paragraphs[1][:60]}<text:s text:c="3"/>{paragraphs[1][60:]}'
        f"<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>{paragraphs[2]}</text:p></text:note-body></text:note>"
        "</text:p><office:annotation><text:p>not part of the text</text:p></office:annotation>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office_ns}" '
        f'xmlns:text="{text_ns}"><office:body><office:text>{body}</office:text></office:body></office:document-content>'
    )
    path = _zip(tmp_path / "decision", {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content})
    result = read(path)
    assert result.engine == "odt"
    assert result.text.split("\n") == [
        paragraphs[0][:40],
        paragraphs[1][:60] + "   " + paragraphs[1][60:],
        "",
        paragraphs[2],
    ]


def test_xml_that_declares_entities_is_not_expanded(tmp_path):
    bomb = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;&b;</d>'
    path = tmp_path / "bomb.xml"
    path.write_text(bomb, encoding="utf-8")
    result = read(path)
    assert result.engine == "xml" and "a" * 20 not in result.text  # the ten times ten a's never come out
    assert any("entities" in note for note in result.notes)


def test_a_docx_bomb_is_stopped_at_the_size_limit(settings, tmp_path):
    settings.SIJILL_MAX_TEXT_MB = 1
    document = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "<w:p/>" * 400_000
        + "</w:body></w:document>"
    )
    path = _zip(tmp_path / "big.docx", {"[Content_Types].xml": "<Types/>", "word/document.xml": document})
    assert path.stat().st_size < 100_000  # small on disk, 2.4 MB inflated
    with pytest.raises(UnreadableFile, match="big.docx holds more than 1 MB of text.*SIJILL_MAX_TEXT_MB"):
        extract.read_page(path, 1)


def test_files_of_no_supported_type_are_refused_saying_what_they_are(tmp_path):
    cases = {
        "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Microsoft Office file.*DOCX or PDF"),
        "archive.zip": (None, "ZIP archive that is not a DOCX or ODT"),
        "random.bin": (bytes(range(256)) * 8, "unsupported type"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        if data is None:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.writestr("notes.txt", "not a document")
            data = buffer.getvalue()
        path.write_bytes(data)
        with pytest.raises(UnreadableFile, match=f"{name} .*{message}"):
            extract.count_pages(path)


def test_text_with_a_pdf_name_is_read_as_text(corpus_dir, tmp_path):
    path = tmp_path / "judgment.pdf"
    path.write_bytes((corpus_dir / "tr-yargitay-9hd-2026-01-12-2025-10062-e-2026-20-k.txt").read_bytes())
    assert extract.count_pages(path) == 1 and read(path).engine == "text"
