"""One Tesseract pass per page: text, word boxes with confidences and a searchable PDF, together.

Tesseract reads the page as ingest.preprocess prepared it (flattened, straightened, binarised). One
recognition writes the word boxes (TSV) and the PDF's invisible text layer, so the text, the boxes and
the PDF always agree; the text is rebuilt from the boxes in reading order (ingest.reading_order), with
the spaces the recogniser dropped put back (ingest.word_spaces). Tesseract writes that PDF without the
page image, which is then laid under the text as a JPEG at SIJILL_OCR_PDF_DPI: Tesseract would
otherwise embed the page losslessly, at several MB a page.

Orientation and script detection (OSD) is a Tesseract run of its own, so it runs only where it can
change the outcome: to choose the models when the languages are not given, to tell which way a page
found lying on its side (ingest.preprocess) should be turned, and when a page reads so badly that it
may be upside down.
"""

import csv
import io
import os
import tempfile
from functools import cache
from pathlib import Path

import pypdfium2
import pytesseract
from PIL import Image
from pytesseract import TesseractError

from ingest import preprocess, reading_order, rtl, word_spaces
from ingest.config import setting
from ingest.pages import PageResult, max_pixels

# ISO 639-1 and 639-3 codes to Tesseract models. Serbian is written in both scripts.
MODELS = {
    "ar": "ara", "ara": "ara",
    "en": "eng", "eng": "eng",
    "fr": "fra", "fra": "fra", "fre": "fra",
    "sw": "swa", "swa": "swa",
    "tr": "tur", "tur": "tur",
    "sq": "sqi", "sqi": "sqi", "alb": "sqi",
    "sr": "srp+srp_latn", "srp": "srp+srp_latn",
    "ur": "urd", "urd": "urd",
}
SCRIPT_DEFAULTS = {"Arabic": "ara", "Cyrillic": "srp"}  # OSD's script names; Latin comes from a setting
OSD_MIN_ORIENTATION_CONFIDENCE = 2.0  # Tesseract's own documentation treats < 2 as unreliable
OSD_MIN_SCRIPT_CONFIDENCE = 1.0
OSD_WIDTH = 1300  # OSD reads a copy about this wide: enough for its shapes, a quarter of the pixels
# A page read with a mean word confidence below this may be upside down: OSD is asked, and the page
# read again turned if OSD is sure. Upright print reads at 65-96 here, upside-down pages at 30-40.
SUSPECT_CONFIDENCE = 50.0
SUSPECT_WORDS = 10  # fewer words than this is a blank or nearly blank page: nothing to turn


class OcrError(Exception):
    """Tesseract failed or took too long on a page; the message says which and why."""


def latin_default():
    return setting("SIJILL_OCR_LATIN_LANGUAGES", "eng+fra")


@cache
def installed_models():
    return set(pytesseract.get_languages(config=""))


@cache
def engine_name():
    return f"tesseract {pytesseract.get_tesseract_version()}"


def tesseract_available():
    try:
        engine_name()
    except (pytesseract.TesseractNotFoundError, OSError):
        return False
    return True


def models_for(languages):
    """Tesseract's language string for ISO codes (a list or "ar+fr"), and notes on codes it lacks.

    A language without a model (Kinyarwanda, say) falls back to the Latin default: most such
    languages here are written in Latin script, and OCR with a near model beats no text at all.
    """
    if isinstance(languages, str):
        languages = [code for code in languages.replace(",", "+").split("+") if code.strip()]
    chosen, notes = [], []
    for code in languages:
        code = code.strip().lower()
        models = MODELS.get(code)
        if models is None and code in installed_models():
            models = code  # already a Tesseract model name
        if models is None or not set(models.split("+")) <= installed_models():
            notes.append(f"no OCR model for language '{code}': read with the Latin default {latin_default()}")
            models = latin_default()
        for model in models.split("+"):
            if model not in chosen:
                chosen.append(model)
    return "+".join(chosen), notes


def _timeout():
    return int(setting("SIJILL_OCR_PAGE_TIMEOUT", 300))


def pdf_dpi():
    return int(setting("SIJILL_OCR_PDF_DPI", 200))


def pdf_jpeg_quality():
    return int(setting("SIJILL_OCR_PDF_JPEG_QUALITY", 60))


def default_psm():
    # 4 = "a single column of text of variable sizes": court records are single-column pages, and
    # automatic segmentation (3) splits numbered paragraphs, lists and tables into column fragments.
    return int(setting("SIJILL_OCR_PSM", 4))


def _environment():
    # Tesseract's OpenMP threads fight each other on a small machine (≈ 3 s a page with one
    # thread, ≈ 23 s without); parallelism belongs to worker processes. The child inherits this.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _run(image, dpi, base, extension, models, config):
    """Write `image` as Tesseract reads it fastest (PBM or PGM: no compression) and run Tesseract once."""
    _environment()
    source = f"{base}-in.{'pbm' if image.mode == '1' else 'pgm'}"
    image.save(source)
    try:
        pytesseract.pytesseract.run_tesseract(source, base, extension, models, f"--dpi {round(dpi)} {config}", 0, _timeout())
    except RuntimeError as error:
        if "timeout" in str(error).lower():
            raise OcrError(f"Tesseract took more than {_timeout()} s (SIJILL_OCR_PAGE_TIMEOUT)") from error
        raise OcrError(f"Tesseract failed: {error}") from error
    except TesseractError as error:
        raise OcrError(f"Tesseract failed ({error.status}): {error.message}") from error


def orientation_and_script(image, dpi=300):
    """OSD's verdict as a dict (rotate, orientation_conf, script, script_conf), or None if it cannot tell."""
    factor = max(1, round(image.width / OSD_WIDTH))
    small = image.reduce(factor) if factor > 1 else image
    with tempfile.TemporaryDirectory(prefix="sijill-osd-") as folder:
        base = str(Path(folder) / "page")
        try:
            _run(small, dpi / factor, base, "osd", "osd", "--psm 0")
            return pytesseract.pytesseract.osd_to_dict(Path(base + ".osd").read_text(encoding="utf-8"))
        except (OcrError, OSError, ValueError, KeyError):
            return None  # too little text, or no decision: recognise the page as it stands


def _parse_tsv(tsv):
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    lines = reading_order.lines_from_tsv_rows(rows)
    for line in lines:
        for word in line.words:
            # Tesseract marks digits inside right-to-left text with invisible direction marks.
            word.text = rtl.strip_bidi_controls(word.text)
        line.words = [word for word in line.words if word.text]
    return [line for line in lines if line.words]


class Recognition:
    """What one Tesseract pass read: lines of words, their mean confidence, the text-only PDF page."""

    def __init__(self, lines, text_layer):
        self.lines = lines
        self.text_layer = text_layer
        confidences = [word.confidence for line in lines for word in line.words]
        self.confidence = sum(confidences) / len(confidences) if confidences else None

    @property
    def words(self):
        """(text, left, top, width, height, confidence) in px of the prepared image, in reading order."""
        return [(w.text, w.left, w.top, w.width, w.height, w.confidence) for line in self.lines for w in line.words]


def recognise(image, models, *, dpi=300, psm=4):
    """Run Tesseract once on a prepared image: its words in lines, and a PDF page of its text layer."""
    with tempfile.TemporaryDirectory(prefix="sijill-ocr-") as folder:
        base = str(Path(folder) / "page")
        _run(image, dpi, base, "pdf", models, f"--psm {psm} -c tessedit_create_tsv=1 -c textonly_pdf=1")
        lines = _parse_tsv(Path(base + ".tsv").read_text(encoding="utf-8"))
        text_layer = Path(base + ".pdf").read_bytes()
    return Recognition(lines, text_layer)


def _jpeg(image, dpi):
    """The page image for the PDF: JPEG at no more than SIJILL_OCR_PDF_DPI (a viewing copy)."""
    factor = pdf_dpi() / dpi
    if factor < 0.95:
        image = image.resize((round(image.width * factor), round(image.height * factor)), Image.BOX)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=pdf_jpeg_quality(), optimize=False)
    return buffer.getvalue()


def searchable_pdf(image, dpi, text_layer):
    """One PDF page: the page image as JPEG, with Tesseract's invisible text layer drawn over it."""
    layer = pypdfium2.PdfDocument(text_layer)
    out = pypdfium2.PdfDocument.new()
    try:
        width, height = layer[0].get_size()
        page = out.new_page(width, height)
        picture = pypdfium2.PdfImage.new(out)
        picture.load_jpeg(io.BytesIO(_jpeg(image, dpi)), inline=True)
        picture.set_matrix(pypdfium2.PdfMatrix().scale(width, height))
        page.insert_obj(picture)
        # Tesseract's page, as a form XObject: its text objects stay exactly as Tesseract wrote them.
        page.insert_obj(layer.page_as_xobject(0, out).as_pageobject())
        page.gen_content()
        buffer = io.BytesIO()
        out.save(buffer)
    finally:
        out.close()
        layer.close()
    return buffer.getvalue()


# OSD's "rotate" is clockwise degrees to make the page upright; Pillow's transposes turn counter-clockwise.
_TURNS = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


def _osd_turn(osd):
    if osd and osd["rotate"] and osd["orientation_conf"] >= OSD_MIN_ORIENTATION_CONFIDENCE:
        return osd["rotate"]
    return 0


def _models(languages, osd, notes):
    if languages:
        models, missing = models_for(languages)
        notes.extend(missing)
        return models
    script = osd["script"] if osd and osd["script_conf"] >= OSD_MIN_SCRIPT_CONFIDENCE else None
    notes.append(f"script detected: {script or 'unknown, Latin assumed'}")
    return SCRIPT_DEFAULTS.get(script, latin_default())


def _plain(image, dpi):
    """Plain Tesseract's input: the page in grey as it came, nothing else done."""
    grey = preprocess.greyscale(image)
    return preprocess.Prepared(grey, preprocess.effective_dpi(image, dpi), binary=grey)


def ocr_page(image, number, *, languages=None, dpi=None, clean=True, psm=None):
    """OCR one page image into a PageResult. `languages`: ISO codes, or None to detect the script.

    `clean=False` skips the preparation and uses Tesseract's automatic segmentation (psm 3) and its
    reading order: plain Tesseract, for measuring what the preparation gains.
    """
    if psm is None:
        psm = default_psm() if clean else 3
    page = preprocess.prepare(image, dpi, max_pixels()) if clean else _plain(image, dpi)
    notes = list(page.notes)
    asked = page.turned or not languages
    osd = orientation_and_script(page.image, page.dpi) if asked else None
    if clean and _osd_turn(osd):
        page.turn(_TURNS[_osd_turn(osd)])
        notes.append(f"rotated by {_osd_turn(osd)}° (OSD)")
    models = _models(languages, osd, notes)
    read = recognise(page.binary, models, dpi=page.dpi, psm=psm)
    if clean and not asked and len(read.words) >= SUSPECT_WORDS and read.confidence < SUSPECT_CONFIDENCE:
        degrees = _osd_turn(orientation_and_script(page.image, page.dpi))
        if degrees:
            again = recognise(page.binary.transpose(_TURNS[degrees]), models, dpi=page.dpi, psm=psm)
            if (again.confidence or 0) > read.confidence:
                page.turn(_TURNS[degrees])
                read = again
                notes.append(f"rotated by {degrees}° (OSD, after a first reading at low confidence)")
    if clean:
        word_spaces.restore_spaces(read.lines, page.image, page.threshold)
    return PageResult(
        number=number, text=reading_order.page_text(read.lines, captions=clean), method="ocr",
        confidence=read.confidence, words=read.words, unit="px", engine=engine_name(), languages=models,
        width=page.image.width, height=page.image.height,
        searchable_pdf=searchable_pdf(page.image, page.dpi, read.text_layer), notes=notes, image=page.image,
    )
