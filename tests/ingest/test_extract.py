"""Page jobs' reading: counts, one page decoded at a time, text layer with word boxes, OCR, page images."""

import io

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, TiffImagePlugin

from ingest import extract, ocr, pdftext
from ingest.pages import PNG, PageResult, UnreadableFile
from records.models import TextSource
from tests.conftest import absent
from tests.ingest.test_pages import _encrypted_pdf, _png_header_only, manifest

BORN_DIGITAL = "us-scotus-2013-tarrant-v-herrmann.pdf"
ARABIC = "ae-federal-decree-law-39-2022-compulsory-education.pdf"


def webp_image(data):
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return Image.open(io.BytesIO(data))


def assert_same_geometry(read, long_side, thumbnail_side):
    """The preview is the result's page scaled uniformly; the thumbnail too, smaller."""
    result = read.result
    preview, thumbnail = webp_image(read.preview), webp_image(read.thumbnail)
    assert max(preview.size) <= long_side and max(thumbnail.size) <= thumbnail_side
    scale = preview.width / result.width
    assert abs(result.height * scale - preview.height) <= 1
    assert abs(thumbnail.height / thumbnail.width - result.height / result.width) < 2 / thumbnail.width
    return preview, scale


def share_on_ink(preview, words, scale):
    """The share of word boxes that hold ink (dark pixels) on the preview, once scaled onto it."""
    ink = preview.convert("L").point(lambda level: 255 if level < 128 else 0)
    inked = 0
    for _text, left, top, width, height, _confidence in words:
        box = ink.crop(
            (round(left * scale), round(top * scale), round((left + width) * scale), round((top + height) * scale))
        )
        histogram = box.histogram()
        inked += sum(histogram) > 0 and histogram[255] / sum(histogram) > 0.08
    return inked / len(words)


@pytest.fixture
def tesseract():
    if not ocr.tesseract_available():
        absent("Tesseract", "install tesseract-ocr and its language packages")
    if not {"eng", "osd"} <= ocr.installed_models():
        absent("Tesseract's eng and osd models", "install tesseract-ocr-eng and -osd")


# --- counting --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        BORN_DIGITAL,
        "us-scotus-2013-tarrant-v-herrmann-scan-p1-2.pdf",
        "scan-ae-decree-law-39-2022-p3-4.pdf",
        "us-moctapp-2021-jagels-v-state.pdf",
        "za-sca-2024-mec-health-gauteng-v-m.pdf",
    ],
)
def test_pdf_pages_are_counted_as_the_manifest_says(corpus_dir, name):
    assert extract.count_pages(corpus_dir / name) == int(manifest(corpus_dir)[name]["pages"])


@pytest.mark.parametrize(
    "name",
    [
        "scan-ae-decree-law-39-2022-p1.tif",
        "scan-fr-ccass-com-2020-19-19463-p1.jpg",
        "bad/png-named-as-pdf-za-sca-2024-p1.pdf",
        "za-gjhc-2020-s-v-pietropaolo.docx",
        "tz-constitution-1977-swahili.akn.xml",
        "fr-ccass-com-2020-11-18-19-19463.json",
        "za-divorce-act-70-of-1979.html",
        "us-cadc-1997-ideal-electronic-v-international-fidelity.txt",
    ],
)
def test_an_image_or_a_text_file_is_one_page(corpus_dir, name):
    assert extract.count_pages(corpus_dir / name) == 1


def test_a_png_named_pdf_is_read_as_the_png_it_is(corpus_dir, monkeypatch):
    path = corpus_dir / "bad" / "png-named-as-pdf-za-sca-2024-p1.pdf"
    assert extract.file_kind(path) == PNG
    seen = []
    monkeypatch.setattr(
        extract.ocr, "ocr_page", lambda image, number, **kw: seen.append(image.size) or _stub_result(image, number)
    )
    read = extract.read_page(path, 1)
    assert seen == [Image.open(path).size] and read.result.method == "ocr"


def test_the_bad_files_are_refused_with_what_is_wrong(corpus_dir):
    with pytest.raises(UnreadableFile, match="empty-zero-bytes.pdf is empty"):
        extract.count_pages(corpus_dir / "bad" / "empty-zero-bytes.pdf")
    with pytest.raises(UnreadableFile, match="truncated-us-taxcourt-2020-bordelon.pdf is a damaged or truncated PDF"):
        extract.count_pages(corpus_dir / "bad" / "truncated-us-taxcourt-2020-bordelon.pdf")
    with pytest.raises(UnreadableFile, match="damaged or truncated PDF"):
        extract.read_page(corpus_dir / "bad" / "truncated-us-taxcourt-2020-bordelon.pdf", 1)


def test_an_encrypted_pdf_is_refused_for_its_password(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf("secret"))
    with pytest.raises(UnreadableFile, match="encrypted PDF that needs a password"):
        extract.count_pages(path)
    with pytest.raises(UnreadableFile, match="encrypted PDF that needs a password"):
        extract.read_page(path, 1)


def test_a_20000_pixel_square_image_is_refused_as_a_bomb(tmp_path, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)  # ingest sets it: restore after
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(20000, 20000))
    with pytest.raises(
        UnreadableFile, match="400,000,000 pixels, over the limit .*SIJILL_MAX_PAGE_PIXELS.*decompression bomb"
    ):
        extract.read_page(path, 1)


def test_a_page_the_file_does_not_have_is_a_clear_error(corpus_dir):
    with pytest.raises(UnreadableFile, match="has 30 page.*no page 31"):
        extract.read_page(corpus_dir / BORN_DIGITAL, 31)
    with pytest.raises(UnreadableFile, match="no page 2"):
        extract.read_page(corpus_dir / "za-divorce-act-70-of-1979.html", 2)


# --- one page decoded, whatever the page count -----------------------------------------------------


def _stub_result(image, number):
    """What ocr_page gives, without Tesseract: the tests of page selection need no recognition."""
    return PageResult(
        number=number, text="", method="ocr", unit="px", width=image.width, height=image.height, image=image
    )


def test_page_499_of_a_500_page_tiff_is_read_without_decoding_the_others(corpus_dir, tmp_path, monkeypatch):
    scan = Image.open(corpus_dir / "scan-us-scotus-2013-tarrant-v-herrmann-p7.tif").convert("L").reduce(8)
    blank = Image.new("1", scan.size, 1)
    frames = [blank] * 498 + [scan.convert("1"), blank]
    path = tmp_path / "box-17"
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:], compression="group4")

    decoded = []
    load = TiffImagePlugin.TiffImageFile.load
    monkeypatch.setattr(TiffImagePlugin.TiffImageFile, "load", lambda self: decoded.append(self.tell()) or load(self))
    assert extract.count_pages(path) == 500
    assert decoded == []  # counting decodes no frame

    given = []
    monkeypatch.setattr(
        extract.ocr, "ocr_page", lambda image, number, **kw: given.append(image) or _stub_result(image, number)
    )
    read = extract.read_page(path, 499, languages=["eng"])

    assert set(decoded) == {498}  # frame 499 only (0-based 498)
    assert read.result.number == 499
    assert given[0].convert("L").tobytes() == frames[498].convert("L").tobytes()
    assert_same_geometry(read, 1650, 200)


def test_page_499_of_a_500_page_pdf_is_the_only_page_loaded(corpus_dir, tmp_path, monkeypatch):
    source = pypdfium2.PdfDocument(str(corpus_dir / BORN_DIGITAL))
    big = pypdfium2.PdfDocument.new()
    while len(big) < 500:
        big.import_pages(source)
    path = tmp_path / "bundle.pdf"
    big.save(str(path))
    count = len(big)
    big.close()
    expected = pdftext.page_text(source[(499 - 1) % len(source)])
    source.close()

    loaded = []
    load_page = pdfium_c.FPDF_LoadPage
    monkeypatch.setattr(
        pdfium_c, "FPDF_LoadPage", lambda document, index: loaded.append(index) or load_page(document, index)
    )
    assert extract.count_pages(path) == count
    read = extract.read_page(path, 499)
    assert loaded == [498]
    assert read.result.text == expected and read.result.number == 499


# --- born-digital pages -----------------------------------------------------------------------------


def test_a_text_layer_page_gives_its_text_and_a_box_for_each_word_in_points(corpus_dir):
    read = extract.read_page(corpus_dir / BORN_DIGITAL, 3)
    result = read.result
    assert result.method == TextSource.PDF_TEXT and result.unit == "pt" and result.engine == "pdfium"
    assert (result.width, result.height) == (612, 792)
    assert result.confidence is None and result.searchable_pdf is None
    assert len(result.words) > 300
    for text, left, top, width, height, confidence in result.words:
        assert confidence is None and width > 0 and height > 0
        assert 0 <= left and left + width <= result.width and 0 <= top and top + height <= result.height
        assert text in result.text  # hyphenated halves ("ac-", "tivities") are in it too
    tokens = result.text.split()
    spelled = [word[0] for word in result.words]
    assert sum(word in set(tokens) for word in spelled) >= 0.95 * len(spelled)
    assert len(set(tokens) - set(spelled)) <= 0.05 * len(set(tokens))  # and almost every word has a box
    assert_same_geometry(read, 1650, 200)


def test_word_boxes_agree_with_pdfplumbers_word_positions(corpus_dir):
    import pdfplumber  # an independent reading of the same page: slow, but only here

    words = extract.read_page(corpus_dir / BORN_DIGITAL, 3, images=False).result.words
    with pdfplumber.open(corpus_dir / BORN_DIGITAL) as pdf:
        theirs = pdf.pages[2].extract_words()
    by_text = {}
    for word in theirs:
        by_text.setdefault(word["text"], []).append(word)
    agreeing = 0
    for text, left, top, width, height, _confidence in words:
        middle = top + height / 2
        agreeing += any(
            abs(other["x0"] - left) < 1
            and abs(other["x1"] - (left + width)) < 1
            and abs((other["top"] + other["bottom"]) / 2 - middle) < 0.4 * height
            for other in by_text.get(text, [])
        )
    assert agreeing >= 0.95 * len(words)


def test_the_preview_shows_each_word_where_its_box_is(corpus_dir):
    # A page with margins and short lines: a box drawn in the wrong place lands on paper, not ink.
    read = extract.read_page(corpus_dir / "fr-ccass-com-2020-11-18-19-19463-rendered.pdf", 5)
    preview, scale = assert_same_geometry(read, 1650, 200)
    assert share_on_ink(preview, read.result.words, scale) > 0.9


def test_arabic_page_words_are_spelled_as_the_logical_text_and_run_right_to_left(corpus_dir):
    result = extract.read_page(corpus_dir / ARABIC, 1, images=False).result
    tokens = set(result.text.split())
    spelled = [word[0] for word in result.words]
    assert sum(word in tokens for word in spelled) >= 0.95 * len(spelled)
    title = [word for word in result.words if abs(word[2] - result.words[0][2]) < 3]  # the first line
    assert [word[0] for word in title][:3] == ["مرسوم", "بقانون", "اتحادي"]
    lefts = [word[1] for word in title if word[0] in tokens and not word[0].isdigit()]
    assert lefts == sorted(lefts, reverse=True)  # reading order runs leftwards


def test_a_rotated_page_has_its_boxes_on_the_page_as_displayed(corpus_dir, tmp_path):
    upright = extract.read_page(corpus_dir / BORN_DIGITAL, 3, images=False).result
    document = pypdfium2.PdfDocument(str(corpus_dir / BORN_DIGITAL))
    document[2].set_rotation(90)  # shown turned a quarter clockwise
    path = tmp_path / "turned.pdf"
    document.save(str(path))
    document.close()

    read = extract.read_page(path, 3)
    turned = read.result
    assert (turned.width, turned.height) == (upright.height, upright.width)
    preview, _scale = assert_same_geometry(read, 1650, 200)
    assert preview.width > preview.height
    # A quarter turn clockwise takes (x, y) to (height - y, x).
    expected = [
        (text, upright.height - top - height, left, height, width)
        for text, left, top, width, height, _c in upright.words
    ]
    # pdfium orders a turned page's characters its own way, so a few words split differently.
    found = {(word[0], *(round(value) for value in word[1:5])) for word in turned.words}
    matched = sum((text, *(round(value) for value in box)) in found for text, *box in expected)
    assert matched >= 0.95 * len(expected)


def test_images_can_be_left_out_or_made_for_ocr_pages_only_and_made_later(corpus_dir, monkeypatch):
    path = corpus_dir / BORN_DIGITAL
    for images in (False, extract.OCR_PAGES):
        read = extract.read_page(path, 1, images=images)
        assert read.preview is None and read.thumbnail is None and read.result.words
    monkeypatch.setattr(extract.ocr, "ocr_page", lambda image, number, **kw: _stub_result(image, number))
    scanned = extract.read_page(corpus_dir / "scan-us-moctapp-2021-jagels-v-state-p1.pdf", 1, images=extract.OCR_PAGES)
    assert webp_image(scanned.preview).size == fit_size(scanned.result, 1650)
    # Later, a text-layer page's images are the ones read_page would have made.
    preview, thumbnail = extract.text_layer_images(path, 1)
    assert preview == extract.read_page(path, 1).preview and webp_image(thumbnail).size == (155, 200)


def fit_size(result, long_side):
    factor = long_side / max(result.width, result.height)
    return round(result.width * factor), round(result.height * factor)


# --- pages to OCR -----------------------------------------------------------------------------------


def test_an_image_only_pdf_page_is_read_by_ocr_with_a_preview_of_what_tesseract_read(tesseract, corpus_dir):
    read = extract.read_page(corpus_dir / "scan-us-moctapp-2021-jagels-v-state-p1.pdf", 1, languages=["eng"])
    result = read.result
    assert result.method == TextSource.OCR and result.unit == "px" and result.languages == "eng"
    assert "Missouri" in result.text and result.searchable_pdf.startswith(b"%PDF")
    assert (result.width, result.height) == result.image.size
    preview, scale = assert_same_geometry(read, 1650, 200)
    assert share_on_ink(preview, result.words, scale) > 0.8
