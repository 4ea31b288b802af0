"""A validation set of degraded scans made from corpus pages that are NOT the corpus's own scans.

    .venv/bin/python benchmarks/scan_validation.py [--corpus DIR] [--out DIR] [--seed N]
    .venv/bin/python benchmarks/ocr_accuracy.py --corpus OUT

The corpus's scans are few, so OCR settings chosen on them may only fit them. This script makes other
scans the same way but with varied degradations: pages of the born-digital English PDFs and of the
rendered French, Turkish, Swahili and Arabic PDFs (whose text is exact), plus Arabic pages drawn here
from the corpus's Saudi texts (Pillow with Raqm shaping), since the corpus has a single rendered Arabic
page that is not a scan. Each page gets paper tone, uneven light, dust, blur, skew on a dark bed, noise
and a JPEG pass, then is saved as TIFF G4, TIFF LZW, JPEG or an image-only PDF; a few are rotated by
90 or 180 degrees and a few scanned at 200 dpi. Ground truth is the page's text: the PDF's text layer
for born-digital pages, the source text for rendered Arabic. The folder (a temporary one unless --out
is given; never commit it) gets a MANIFEST.csv that ocr_accuracy.py reads like the corpus's.
"""

import argparse
import csv
import json
import os
import random
import sys
import tempfile
from pathlib import Path

import pypdfium2
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, features

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import pdftext  # noqa: E402  (the checkout first on the path, as for manage.py)

# (PDF, language, pages): pages that no corpus scan was made from.
PDF_PAGES = [
    ("us-ca8-2017-beavers-v-midland-funding-statement-of-issues.pdf", "eng", [1, 2]),
    ("us-ca8-2023-united-states-v-xiang-rule-28j-letter.pdf", "eng", [1]),
    ("us-moctapp-2021-jagels-v-state.pdf", "eng", [2, 4]),
    ("us-scotus-2013-tarrant-v-herrmann.pdf", "eng", [3, 12, 21]),
    ("us-taxcourt-2020-bordelon-v-commissioner.pdf", "eng", [1, 6, 18]),
    ("za-sca-2024-mec-health-gauteng-v-m.pdf", "eng", [3, 9]),
    ("fr-ccass-com-2020-11-18-19-19463-rendered.pdf", "fra", [2, 6, 11, 17, 24, 33]),
    ("tr-yargitay-9hd-2026-01-12-2025-10062-e-2026-20-k-rendered.pdf", "tur", [2, 3]),
    ("tz-constitution-1977-swahili-chapter-1-rendered.pdf", "swa", [3, 7]),
]
# The rendered Arabic PDF's page 2: its text is the source text after page 1's ground truth.
ARABIC_RENDERED = ("sa-jeddah-commercial-court-2022-08-03-ahkam-43292-rendered.pdf",
                   "sa-jeddah-commercial-court-2022-08-03-ahkam-43292.txt",
                   "scan-sa-jeddah-commercial-court-2022-08-03-ahkam-43292-p1.gt.txt")
# Fonts with Arabic glyphs that Debian's fonts-dejavu-core provides; Raqm shapes the text.
ARABIC_FONTS = [f"/usr/share/fonts/truetype/dejavu/{name}.ttf" for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSansCondensed")]
ARABIC_DRAWN_PAGES = 8
FORMS = ("g4", "lzw", "jpeg", "pdf")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("SIJILL_CORPUS_DIR") or ROOT.parent / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=Path(default))
    parser.add_argument("--out", type=Path, help="folder to write into (default: a new temporary folder)")
    parser.add_argument("--seed", type=int, default=12)
    return parser.parse_args()


def render_pdf_page(path, number, dpi):
    document = pypdfium2.PdfDocument(str(path))
    try:
        page = document[number - 1]
        text = pdftext.page_text(page)
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        page.close()
    finally:
        document.close()
    return image, text


def arabic_rendered_page(corpus, dpi):
    pdf, source, first_truth = ARABIC_RENDERED
    image, _ = render_pdf_page(corpus / pdf, 2, dpi)
    text = (corpus / source).read_text(encoding="utf-8").strip()
    first = "".join((corpus / first_truth).read_text(encoding="utf-8").split())
    # The page breaks lines where the source glues a label to the next word: compare without spaces.
    seen = 0
    for index, char in enumerate(text):
        if seen == len(first):
            return image, text[index:].strip()
        if not char.isspace():
            if char != first[seen]:
                break
            seen += 1
    raise SystemExit(f"{source} no longer starts with the text of {first_truth}: fix ARABIC_RENDERED")


def _wrap(draw, font, paragraph, width):
    lines, line = [], ""
    for word in paragraph.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font, direction="rtl") > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + ([line] if line else [])


def draw_arabic_page(paragraphs, dpi, font_path, size_pt):
    """An A4 page of right-to-left paragraphs, right-aligned: the image, the text exactly as placed, and
    how many paragraphs it holds whole (the next page starts with the next one)."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_path, round(size_pt * dpi / 72), layout_engine=ImageFont.Layout.RAQM)
    margin, leading = round(dpi * 0.9), round(size_pt * dpi / 72 * 1.7)
    y, placed = margin, []
    for used, paragraph in enumerate(paragraphs):
        lines = _wrap(draw, font, paragraph, width - 2 * margin)
        if y + leading * len(lines) > height - margin:
            return image, "\n".join(placed), used
        for line in lines:
            draw.text((width - margin, y), line, font=font, fill=0, anchor="ra", direction="rtl")
            placed.append(line)
            y += leading
        y += leading // 2
    return image, "\n".join(placed), len(paragraphs)


def drawn_arabic_pages(corpus, dpi, rng):
    """Pages drawn from two Saudi laws (article by article) and a Riyadh judgment, in varied sizes."""
    paragraphs = []
    for name in ("sa-juveniles-law-1439h.json", "sa-documents-and-archives-law-1409h.json"):
        law = json.loads((corpus / name).read_text(encoding="utf-8"))
        for article in law["articles"]:
            lines = [article["number_text"], *article["text"].split("\n")]
            paragraphs.extend(line.strip() for line in lines if line.strip())
    judgment = (corpus / "sa-riyadh-commercial-court-2022-ahkam-52854.txt").read_text(encoding="utf-8")
    paragraphs.extend(line.strip() for line in judgment.split("\n") if line.strip())
    number = 0
    while paragraphs and number < ARABIC_DRAWN_PAGES:
        number += 1
        font = rng.choice(ARABIC_FONTS)
        image, text, used = draw_arabic_page(paragraphs, dpi, font, size_pt=rng.choice((12, 13, 14, 16)))
        paragraphs = paragraphs[used:]
        yield number, image, text


def degrade(image, rng, dpi):
    """A paper scan of a clean page: tone, light, dust, blur, skew on a dark bed, noise, one JPEG pass."""
    width, height = image.size
    tone = rng.randint(222, 246)
    image = image.point(lambda v: v * tone // 255)
    # Uneven light: a gradient from one side, darker by up to a fifth.
    gradient = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize(image.size)
    depth = rng.uniform(0.06, 0.2)
    image = ImageChops.multiply(image, gradient.point(lambda v: round(255 * (1 - depth * v / 255))))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(20, 120)):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.uniform(1, 3.5) * dpi / 300
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(20, 110))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0) * dpi / 300))
    angle = rng.choice((-1, 1)) * rng.uniform(0.3, 2.5)
    bed = rng.randint(15, 70)
    image = image.rotate(angle, Image.BICUBIC, expand=True, fillcolor=bed)
    pad = [rng.randint(0, round(dpi * 0.25)) for _ in range(4)]
    framed = Image.new("L", (image.width + pad[0] + pad[2], image.height + pad[1] + pad[3]), bed)
    framed.paste(image, (pad[0], pad[1]))
    noise = Image.effect_noise(framed.size, rng.uniform(3, 8))
    framed = ImageChops.add(framed, noise, 1.0, -128)
    return _jpeg_pass(framed, rng.randint(35, 60)), angle


def _jpeg_pass(image, quality):
    import io

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def save(image, path_base, form, dpi, rng):
    if form == "g4":
        threshold = rng.randint(135, 165)
        path = path_base.with_suffix(".tif")
        image.point(lambda v: 255 if v >= threshold else 0).convert("1").save(path, compression="group4", dpi=(dpi, dpi))
    elif form == "lzw":
        path = path_base.with_suffix(".tif")
        image.point(lambda v: v // 8 * 8).save(path, compression="tiff_lzw", dpi=(dpi, dpi))
    elif form == "jpeg":
        path = path_base.with_suffix(".jpg")
        image.save(path, quality=rng.randint(50, 75), dpi=(dpi, dpi))
    else:
        path = path_base.with_suffix(".pdf")
        image.save(path, "PDF", resolution=dpi, quality=rng.randint(50, 75))
    return path


def sources(corpus, rng):
    """(name, language, image, text, dpi) of every validation page, clean."""
    for pdf, language, numbers in PDF_PAGES:
        for number in numbers:
            dpi = 200 if rng.random() < 0.15 else 300
            image, text = render_pdf_page(corpus / pdf, number, dpi)
            if text is pdftext.NEEDS_OCR:
                raise SystemExit(f"{pdf} page {number} has no text layer: choose another page in PDF_PAGES")
            yield Path(pdf).stem, number, language, image, text, dpi
    image, text = arabic_rendered_page(corpus, 300)
    yield Path(ARABIC_RENDERED[0]).stem, 2, "ara", image, text, 300
    if not features.check("raqm"):
        print("Pillow has no Raqm: the drawn Arabic pages are left out", file=sys.stderr)
        return
    for number, image, text in drawn_arabic_pages(corpus, 300, rng):
        yield "sa-laws-and-judgment-drawn", number, "ara", image, text, 300


def generate(corpus, out, seed):
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for stem, number, language, image, text, dpi in sources(corpus, rng):
        scan, angle = degrade(image, rng, dpi)
        turn = rng.choice((90, 180, 270)) if rng.random() < 0.12 else 0
        if turn:
            scan = scan.rotate(turn, expand=True)
        form = rng.choice(FORMS)
        base = out / f"scan-{stem}-p{number}"
        path = save(scan, base, form, dpi, rng)
        path.with_suffix(".gt.txt").write_text(text, encoding="utf-8")
        note = f"{form}, {dpi} dpi, skew {angle:.2f}°" + (f", turned {turn}°" if turn else "")
        rows.append({"file": path.name, "language": language, "title": note})
        print(f"{path.name:<70} {language}  {note}", flush=True)
    with open(out / "MANIFEST.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "language", "title"])
        writer.writeheader()
        writer.writerows(rows)
    return rows


def main():
    args = parse_args()
    if not (args.corpus / "MANIFEST.csv").exists():
        sys.exit(f"No corpus at {args.corpus} (set SIJILL_CORPUS_DIR or --corpus)")
    out = args.out or Path(tempfile.mkdtemp(prefix="sijill-scan-validation-"))
    rows = generate(args.corpus, out, args.seed)
    print(f"\n{len(rows)} validation scans in {out}\nmeasure: benchmarks/ocr_accuracy.py --corpus {out}")


if __name__ == "__main__":
    main()
