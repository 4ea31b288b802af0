"""Arabic order: visual (reversed) text is recognised and repaired; logical text is left alone."""

import json
import subprocess
import sys

from bidi import get_display

from ingest import pdftext, rtl
from ingest.normalise import cer
from tests.ingest.test_pages import manifest


def test_visual_order_fixture_is_detected_as_reversed(corpus_dir):
    lines = (corpus_dir / "ae-federal-decree-law-39-2022-visual-order-negative.jsonl").read_text(encoding="utf-8")
    for line in lines.splitlines():
        text = json.loads(line)["text"]
        assert rtl.detect_order(text).order == "visual"
        assert rtl.is_reversed(text)


def test_saudi_law_text_is_detected_as_logical(corpus_dir):
    law = json.loads((corpus_dir / "sa-juveniles-law-1439h.json").read_text(encoding="utf-8"))
    texts = [article["text"] for article in law["articles"]]
    assert rtl.detect_order("\n".join(texts)).order == "logical"
    long_articles = [text for text in texts if len(text) > 300]
    assert long_articles and all(rtl.detect_order(text).order == "logical" for text in long_articles)


def test_arabic_ground_truth_is_detected_as_logical(corpus_dir):
    names = [name for name, row in manifest(corpus_dir).items() if name.startswith("scan-") and row["language"] == "ara"]
    assert len(names) >= 3
    for name in names:
        truth = (corpus_dir / name).with_suffix(".gt.txt").read_text(encoding="utf-8")
        assert rtl.detect_order(truth).order == "logical", name


def test_latin_text_gets_no_verdict(corpus_dir):
    truth = (corpus_dir / "scan-fr-ccass-com-2020-19-19463-p29.gt.txt").read_text(encoding="utf-8")
    assert rtl.detect_order(truth).order == "unknown"


def test_visual_lines_are_repaired_to_logical(corpus_dir):
    truth = (corpus_dir / "scan-ae-decree-law-39-2022-p2.gt.txt").read_text(encoding="utf-8")
    visual = "\n".join(get_display(line, base_dir="R") for line in truth.splitlines())
    assert rtl.is_reversed(visual)
    repaired = rtl.repair(visual)
    assert repaired is not None and rtl.detect_order(repaired).order == "logical"
    assert cer(repaired, truth) < 0.01


def test_presentation_forms_are_detected_and_folded():
    # "في" and "من" written with presentation forms (final yeh, initial feh; initial meem, final noon)
    text = "\ufed3\ufef2 \ufee3\ufee6 " * 3
    assert rtl.has_presentation_forms(text)
    assert rtl.repair(text).split() == ["في", "من"] * 3


def test_repair_gives_up_on_text_that_reads_neither_way():
    assert rtl.repair("كتب كتب كتب") is None


def test_bidi_controls_are_stripped():
    assert rtl.strip_bidi_controls("\u202bمرسوم\u202c \u200fرقم\u200e \u2067(39)\u2069") == "مرسوم رقم (39)"


def test_uae_decree_pdf_text_comes_out_logical(corpus_dir):
    truth = [(corpus_dir / f"scan-ae-decree-law-39-2022-p{part}.gt.txt").read_text(encoding="utf-8") for part in ("1", "2", "3-4")]
    truth = truth[:2] + truth[2].split("\f")
    results = list(pdftext.extract(corpus_dir / "ae-federal-decree-law-39-2022-compulsory-education.pdf"))
    assert len(results) == len(truth)
    kept = [(number, result) for number, result in results if result is not pdftext.NEEDS_OCR]
    assert len(kept) >= 3  # a page whose layer cannot be repaired goes to OCR; most of this one can
    for number, result in kept:
        assert result.method == "pdf_text" and result.unit == "pt"
        assert rtl.detect_order(result.text).order == "logical"
        assert cer(result.text, truth[number - 1]) < 0.12, number
        assert not rtl.BIDI_CONTROLS.search(result.text)


def test_rendered_arabic_pdf_has_no_bidi_controls_and_reads_logically(corpus_dir):
    name = "sa-jeddah-commercial-court-2022-08-03-ahkam-43292-rendered.pdf"
    expected = manifest(corpus_dir)[name]["expected"]
    results = [result for _, result in pdftext.extract(corpus_dir / name)]
    assert all(result is not pdftext.NEEDS_OCR for result in results)
    text = "\n".join(result.text for result in results)
    assert not rtl.BIDI_CONTROLS.search(text)
    assert rtl.detect_order(text).order == "logical"
    assert " ".join(expected.split()) in " ".join(text.split())


def test_latin_pdf_text_and_image_only_pages(corpus_dir):
    rows = manifest(corpus_dir)
    name = "us-moctapp-2021-jagels-v-state.pdf"
    pages = list(pdftext.extract(corpus_dir / name))
    assert all(result.method == "pdf_text" for _, result in pages)
    joined = " ".join(" ".join(result.text.split()) for _, result in pages)
    assert " ".join(rows[name]["expected"].split()) in joined
    scanned = list(pdftext.extract(corpus_dir / "us-scotus-2013-tarrant-v-herrmann-scan-p1-2.pdf"))
    assert [result for _, result in scanned] == [pdftext.NEEDS_OCR] * int(rows["us-scotus-2013-tarrant-v-herrmann-scan-p1-2.pdf"]["pages"])


def test_fast_text_does_not_load_pdfplumber(corpus_dir):
    path = corpus_dir / "us-ca8-2017-beavers-v-midland-funding-statement-of-issues.pdf"
    code = ("import sys; from ingest import pdftext; "
            f"list(pdftext.extract({str(path)!r})); print('pdfplumber' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_pdf_words_give_positions_in_points(corpus_dir):
    path = corpus_dir / "us-ca8-2017-beavers-v-midland-funding-statement-of-issues.pdf"
    text = dict(pdftext.extract(path))[1].text
    words = pdftext.pdf_words(path, 1)
    assert len(words) > 20
    assert sum(1 for word in words if word[0] in text) / len(words) > 0.9
    assert all(0 <= left <= 612 and 0 <= top <= 792 and width > 0 for _, left, top, width, _, _ in words)
