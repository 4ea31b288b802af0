"""OCR through Tesseract: language choice, one recognition per page, text near the ground truth."""

import io

import pypdfium2
import pytesseract
import pytest

from ingest import ocr
from ingest.extract import extract_pages
from ingest.normalise import cer, normalise
from ingest.pages import iter_pages
from tests.conftest import absent


@pytest.fixture
def tesseract():
    if not ocr.tesseract_available():
        absent("Tesseract", "install tesseract-ocr and its language packages")
    missing = {"ara", "eng", "fra", "osd"} - ocr.installed_models()
    if missing:
        absent(f"Tesseract models {sorted(missing)}", "install tesseract-ocr-ara, -eng, -fra and -osd")


def test_iso_codes_map_to_models(tesseract, settings):
    settings.SIJILL_OCR_LATIN_LANGUAGES = "eng+fra"
    assert ocr.models_for(["ar", "fr"]) == ("ara+fra", [])
    assert ocr.models_for("ara+fra") == ("ara+fra", [])
    assert ocr.models_for(["srp"]) == ("srp+srp_latn", [])
    assert ocr.models_for(["sw", "en"]) == ("swa+eng", [])
    assert ocr.models_for(["sqi", "tur", "urd"]) == ("sqi+tur+urd", [])
    models, notes = ocr.models_for(["rw"])
    assert models == "eng+fra" and "no OCR model for language 'rw'" in notes[0]
    models, notes = ocr.models_for(["kin", "fra"])
    assert models == "eng+fra" and len(notes) == 1


def _searchable_words(pdf_bytes):
    document = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))
    assert len(document) == 1
    textpage = document[0].get_textpage()
    return set(textpage.get_text_bounded().split())


def test_latin_scan_is_read_in_one_recognition(tesseract, corpus_dir, monkeypatch):
    name = "scan-fr-ccass-com-2020-19-19463-p29.tif"
    calls = []
    real = pytesseract.pytesseract.run_tesseract
    monkeypatch.setattr(pytesseract.pytesseract, "run_tesseract", lambda *a, **k: calls.append(a[2] if len(a) > 2 else k.get("extension")) or real(*a, **k))

    page = next(iter_pages(corpus_dir / name))
    result = ocr.ocr_page(page.render(), page.number, languages=["fra"], dpi=page.dpi)

    assert [extension for extension in calls if "txt" in extension] == ["txt pdf"]  # text, boxes and PDF at once
    truth = (corpus_dir / name).with_suffix(".gt.txt").read_text(encoding="utf-8")
    assert cer(result.text, truth) < 0.15
    assert result.method == "ocr" and result.languages == "fra" and result.engine.startswith("tesseract 5")
    assert result.unit == "px" and len(result.words) > 100
    assert all(0 <= word[5] <= 100 and word[3] > 0 and word[4] > 0 for word in result.words)
    assert all(0 <= word[1] < result.width and 0 <= word[2] < result.height for word in result.words)
    assert result.confidence == pytest.approx(sum(word[5] for word in result.words) / len(result.words))
    # The searchable PDF's invisible layer holds the words that were read.
    layer = _searchable_words(result.searchable_pdf)
    long_words = {word[0] for word in result.words if len(word[0]) > 5}
    assert len(long_words & layer) / len(long_words) > 0.8
    assert len(set(normalise(truth).split()) & layer) > 100


def test_arabic_scan_with_script_detection(tesseract, corpus_dir):
    name = "scan-ae-decree-law-39-2022-p3-4.pdf"
    truth = (corpus_dir / name).with_suffix(".gt.txt").read_text(encoding="utf-8").split("\f")
    result = next(extract_pages(corpus_dir / name))  # an image-only PDF page: OCR, language unknown
    assert result.method == "ocr" and result.languages == "ara"
    assert any(note.startswith("script detected: Arabic") for note in result.notes)
    assert cer(result.text, truth[0]) < 0.15
    assert 50 < result.confidence <= 100
    layer = _searchable_words(result.searchable_pdf)
    truth_words = set(normalise(truth[0]).split())
    assert len(truth_words & {normalise(word) for word in layer}) > 0.5 * len(truth_words)


def test_timeout_is_a_clear_error(tesseract, corpus_dir, monkeypatch):
    monkeypatch.setattr(ocr, "_timeout", lambda: 0.01)
    page = next(iter_pages(corpus_dir / "scan-us-scotus-2013-tarrant-v-herrmann-p7.tif"))
    with pytest.raises(ocr.OcrError, match="took more than"):
        ocr.recognise(page.render(), "eng")


def test_thread_limit_is_set_for_tesseract(tesseract, monkeypatch):
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    ocr._environment()
    import os

    assert os.environ["OMP_THREAD_LIMIT"] == "1"
