"""One Tesseract pass per page: text, word boxes with confidences and a searchable PDF, together.

One recognition writes all three outputs (txt, tsv and pdf "configs" of a single tesseract run), so
the text, the boxes and the PDF's invisible layer always agree.
"""

import csv
import io
import os
import tempfile
from functools import cache
from pathlib import Path

import pytesseract
from pytesseract import Output, TesseractError

from ingest import preprocess
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
    return int(setting("SIJILL_OCR_TIMEOUT_SECONDS", 300))


def _environment():
    # Tesseract's OpenMP threads fight each other on a small machine (≈ 3 s a page with one
    # thread, ≈ 23 s without); parallelism belongs to worker processes. The child inherits this.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def orientation_and_script(image):
    """OSD's verdict as a dict (rotate, orientation_conf, script, script_conf), or None if it cannot tell."""
    _environment()
    small = image.reduce(2) if min(image.size) > 2000 else image  # OSD needs shapes, not detail
    try:
        return pytesseract.image_to_osd(small, output_type=Output.DICT, config="--psm 0", timeout=60)
    except (TesseractError, RuntimeError):
        return None  # too little text, or no decision: recognise the page as it stands


def _parse_tsv(tsv):
    words, confidences = [], []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        confidence = float(row["conf"])
        if not text or confidence < 0:  # -1 marks layout rows, not words
            continue
        box = (int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]))
        words.append((text, *box, confidence))
        confidences.append(confidence)
    return words, (sum(confidences) / len(confidences) if confidences else None)


def recognise(image, models, *, dpi=300, psm=3):
    """Run Tesseract once on a prepared image: (text, words, mean confidence, searchable PDF bytes)."""
    _environment()
    with tempfile.TemporaryDirectory(prefix="sijill-ocr-") as folder:
        source = Path(folder) / "page.png"
        image.save(source, dpi=(dpi, dpi))
        base = str(Path(folder) / "out")
        config = f"--psm {psm} --dpi {round(dpi)} -c tessedit_create_tsv=1"
        try:
            pytesseract.pytesseract.run_tesseract(str(source), base, "txt pdf", models, config, 0, _timeout())
        except RuntimeError as error:
            if "timeout" in str(error).lower():
                raise OcrError(f"Tesseract took more than {_timeout()} s (SIJILL_OCR_TIMEOUT_SECONDS)") from error
            raise OcrError(f"Tesseract failed: {error}") from error
        except TesseractError as error:
            raise OcrError(f"Tesseract failed ({error.status}): {error.message}") from error
        text = Path(base + ".txt").read_text(encoding="utf-8")
        words, confidence = _parse_tsv(Path(base + ".tsv").read_text(encoding="utf-8"))
        searchable = Path(base + ".pdf").read_bytes()
    return text.replace("\f", "").strip(), words, confidence, searchable


def default_psm():
    # 4 = "a single column of text of variable sizes": court records are single-column pages, and
    # automatic segmentation (3) splits numbered paragraphs and right-to-left lists into fragments.
    return int(setting("SIJILL_OCR_PSM", 4))


def ocr_page(image, number, *, languages=None, dpi=None, clean=True, psm=None):
    """OCR one page image into a PageResult. `languages`: ISO codes, or None to detect the script.

    `clean=False` skips the preprocessing and uses Tesseract's automatic segmentation (psm 3):
    plain Tesseract, for measuring what the preprocessing gains.
    """
    if psm is None:
        psm = default_psm() if clean else 3
    notes = []
    if clean:
        image, dpi, done = preprocess.prepare(image, dpi, max_pixels())
        notes.extend(done)
    else:
        image, dpi = preprocess.greyscale(image), preprocess.effective_dpi(image, dpi)
    osd = orientation_and_script(image) if clean or not languages else None
    if clean and osd and osd["rotate"] and osd["orientation_conf"] >= OSD_MIN_ORIENTATION_CONFIDENCE:
        # OSD's "rotate" is clockwise degrees to make the page upright; Pillow turns counter-clockwise.
        image = image.rotate(-osd["rotate"], expand=True, fillcolor=255)
        notes.append(f"rotated by {osd['rotate']}° (OSD)")
    if languages:
        models, missing = models_for(languages)
        notes.extend(missing)
    else:
        script = osd["script"] if osd and osd["script_conf"] >= OSD_MIN_SCRIPT_CONFIDENCE else None
        models = SCRIPT_DEFAULTS.get(script, latin_default())
        notes.append(f"script detected: {script or 'unknown, Latin assumed'}")
    text, words, confidence, searchable = recognise(image, models, dpi=dpi, psm=psm)
    return PageResult(
        number=number, text=text, method="ocr", confidence=confidence, words=words, unit="px",
        engine=engine_name(), languages=models, width=image.width, height=image.height,
        searchable_pdf=searchable, notes=notes, image=image,
    )
