"""OCR through Tesseract: language choice, one recognition per page, orientation, text near the ground truth."""

import io
import os

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytesseract
import pytest
from PIL import Image

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


@pytest.fixture
def tesseract_runs(monkeypatch):
    """The `extension` argument of every Tesseract run: "pdf" for a recognition, "osd" for OSD."""
    runs = []
    real = pytesseract.pytesseract.run_tesseract

    def counting(*args, **kwargs):
        runs.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(pytesseract.pytesseract, "run_tesseract", counting)
    return runs


def _first_page(path):
    for page in iter_pages(path):
        return page.render(), page.dpi


def _truth(corpus_dir, name):
    return (corpus_dir / name).with_suffix(".gt.txt").read_text(encoding="utf-8").split("\f")


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


def _pdf_layer_and_images(pdf_bytes):
    document = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))
    assert len(document) == 1
    page = document[0]
    words = set(page.get_textpage().get_text_bounded().split())
    images = [obj for obj in page.get_objects() if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    return words, images, page.get_size()


def test_latin_scan_is_read_in_one_recognition(tesseract, corpus_dir, tesseract_runs):
    name = "scan-fr-ccass-com-2020-19-19463-p29.tif"
    image, dpi = _first_page(corpus_dir / name)

    result = ocr.ocr_page(image, 1, languages=["fra"], dpi=dpi)

    assert tesseract_runs == ["pdf"]  # text, boxes and PDF layer at once; no orientation detection
    truth = _truth(corpus_dir, name)[0]
    assert cer(result.text, truth) < 0.02
    assert result.method == "ocr" and result.languages == "fra" and result.engine.startswith("tesseract 5")
    assert result.unit == "px" and len(result.words) > 100 and 80 < result.confidence <= 100
    assert all(0 <= word[5] <= 100 and word[3] > 0 and word[4] > 0 for word in result.words)
    assert all(0 <= word[1] < result.width and 0 <= word[2] < result.height for word in result.words)
    assert result.image.size == (result.width, result.height)
    assert any(note.startswith("deskewed by") for note in result.notes)  # scanned 1.29° askew
    # The searchable PDF: the page as one JPEG under the invisible words, a few hundred KB.
    layer, images, size = _pdf_layer_and_images(result.searchable_pdf)
    assert len(images) == 1 and images[0].get_metadata().colorspace == pdfium_c.FPDF_COLORSPACE_DEVICEGRAY
    assert images[0].get_filters() == ["DCTDecode"]
    assert len(result.searchable_pdf) < 700_000
    assert size == pytest.approx((result.width * 72 / dpi, result.height * 72 / dpi), abs=1)
    long_words = {word[0] for word in result.words if len(word[0]) > 5}
    assert len(long_words & layer) / len(long_words) > 0.8
    assert len(set(normalise(truth).split()) & layer) > 100


def test_arabic_scan_with_script_detection(tesseract, corpus_dir):
    name = "scan-ae-decree-law-39-2022-p3-4.pdf"
    truth = _truth(corpus_dir, name)
    result = next(extract_pages(corpus_dir / name))  # an image-only PDF page: OCR, language unknown
    assert result.method == "ocr" and result.languages == "ara"
    assert any(note.startswith("script detected: Arabic") for note in result.notes)
    assert cer(result.text, truth[0]) < 0.08
    assert not set(result.text) & {"\u200e", "\u200f"}  # no invisible direction marks around digits
    assert 50 < result.confidence <= 100
    layer, _, _ = _pdf_layer_and_images(result.searchable_pdf)
    truth_words = set(normalise(truth[0]).split())
    assert len(truth_words & {normalise(word) for word in layer}) > 0.5 * len(truth_words)


def test_a_caption_is_read_column_by_column(tesseract, corpus_dir):
    name = "scan-us-moctapp-2021-jagels-v-state-p1.pdf"
    image, dpi = _first_page(corpus_dir / name)
    result = ocr.ocr_page(image, 1, languages=["eng"], dpi=dpi)
    assert cer(result.text, _truth(corpus_dir, name)[0]) < 0.03
    text = result.text
    # The parties, then the case's particulars, not row by row across the bracket column.
    assert text.index("Respondent.") < text.index("No. ED108783") < text.index("Filed: January 19, 2021")
    assert "JAGELS,\nAppellant," in text


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_page_scanned_turned_is_read_upright(tesseract, corpus_dir, turn):
    name = "scan-us-scotus-2013-tarrant-v-herrmann-p7.tif"
    image, dpi = _first_page(corpus_dir / name)
    result = ocr.ocr_page(image.rotate(turn, expand=True), 1, languages=["eng"], dpi=dpi)
    assert cer(result.text, _truth(corpus_dir, name)[0]) < 0.03
    assert result.confidence > 85
    assert result.width < result.height  # the page kept is the upright one, and the boxes lie on it
    assert any("rotated by" in note or "turned by 90°" in note for note in result.notes)


def test_spaces_tesseract_drops_are_restored(tesseract, corpus_dir):
    name = "scan-fr-ccass-com-2020-19-19463-p1.jpg"
    image, dpi = _first_page(corpus_dir / name)
    result = ocr.ocr_page(image, 1, languages=["fra"], dpi=dpi)
    normalised = normalise(result.text)
    assert "R É P U B L I Q U E" in normalised  # a letter-spaced heading
    assert normalised.count("[...] ,") >= 8  # "domicilié [...] ," where the recogniser writes "[...],"


def test_plain_tesseract_keeps_its_own_reading_order(tesseract, corpus_dir):
    name = "scan-us-moctapp-2021-jagels-v-state-p1.pdf"
    image, dpi = _first_page(corpus_dir / name)
    result = ocr.ocr_page(image, 1, languages=["eng"], dpi=dpi, clean=False)
    assert "JAGELS, ) No. ED108783" in result.text  # row by row, as Tesseract wrote it
    assert result.notes == []


def test_timeout_is_a_clear_error(tesseract, corpus_dir, monkeypatch):
    monkeypatch.setattr(ocr, "_timeout", lambda: 0.01)
    image, _ = _first_page(corpus_dir / "scan-us-scotus-2013-tarrant-v-herrmann-p7.tif")
    with pytest.raises(ocr.OcrError, match="took more than"):
        ocr.recognise(image.convert("L"), "eng")


def test_a_blank_page_reads_as_no_text(tesseract):
    result = ocr.ocr_page(Image.new("L", (2480, 3508), 235), 1, languages=["eng"], dpi=300)
    assert result.text == "" and result.words == [] and result.confidence is None
    assert result.searchable_pdf.startswith(b"%PDF")


def test_thread_limit_is_set_for_tesseract(tesseract, monkeypatch):
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    ocr._environment()
    assert os.environ["OMP_THREAD_LIMIT"] == "1"
