"""Image clean-up before OCR: resolution, scanner bed and skew, checked on real pages."""

from PIL import Image, ImageOps

from ingest import preprocess


def _page(corpus_dir):
    return Image.open(corpus_dir / "scan-us-scotus-2013-tarrant-v-herrmann-p7.tif").convert("L")


def test_low_resolution_is_raised_towards_300_dpi(corpus_dir):
    image = Image.open(corpus_dir / "bad" / "png-named-as-pdf-za-sca-2024-p1.pdf").convert("L")
    raised, dpi = preprocess.fit_resolution(image, image.info["dpi"][0], 180_000_000)
    assert dpi == 300 and raised.width == round(image.width * 300 / image.info["dpi"][0])
    same, dpi = preprocess.fit_resolution(_page(corpus_dir), 300, 180_000_000)
    assert dpi == 300 and same.size == _page(corpus_dir).size
    capped, _ = preprocess.fit_resolution(image, 60, 4 * image.width * image.height)
    assert capped.width * capped.height <= 4 * image.width * image.height * 1.01


def test_skew_is_measured_against_a_known_rotation(corpus_dir):
    page = preprocess.whiten_bed(_page(corpus_dir))
    own = preprocess.skew_angle(page)
    turned = page.rotate(2.0, Image.BICUBIC, fillcolor=255)
    assert abs(preprocess.skew_angle(turned) - (own - 2.0)) <= 0.3


def test_dark_scanner_bed_is_painted_white(corpus_dir):
    page = _page(corpus_dir).reduce(2)
    framed = ImageOps.expand(page, border=60, fill=30)
    cleaned = preprocess.whiten_bed(framed)
    assert cleaned.crop((0, 0, framed.width, 40)).getextrema() == (255, 255)
    assert cleaned.crop((0, 0, 40, framed.height)).getextrema() == (255, 255)
    # The paper inside is left as it was.
    middle = (framed.width // 4, framed.height // 4, 3 * framed.width // 4, 3 * framed.height // 4)
    assert cleaned.crop(middle).tobytes() == framed.crop(middle).tobytes()
