"""Image preparation before OCR: resolution, scanner bed, light, skew and pages on their side, on real pages."""

import pytest
from PIL import Image, ImageChops, ImageOps

from ingest import preprocess


def _page(corpus_dir, name="scan-us-scotus-2013-tarrant-v-herrmann-p7.tif"):
    return Image.open(corpus_dir / name).convert("L")


def test_low_resolution_is_raised_towards_300_dpi(corpus_dir):
    image = Image.open(corpus_dir / "bad" / "png-named-as-pdf-za-sca-2024-p1.pdf").convert("L")
    raised, dpi = preprocess.fit_resolution(image, image.info["dpi"][0], 180_000_000)
    assert dpi == 300 and raised.width == round(image.width * 300 / image.info["dpi"][0])
    same, dpi = preprocess.fit_resolution(_page(corpus_dir), 300, 180_000_000)
    assert dpi == 300 and same.size == _page(corpus_dir).size
    capped, _ = preprocess.fit_resolution(image, 60, 4 * image.width * image.height)
    assert capped.width * capped.height <= 4 * image.width * image.height * 1.01


def test_a_page_near_300_dpi_is_not_upscaled(corpus_dir):
    page = _page(corpus_dir)
    same, dpi = preprocess.fit_resolution(page, 250, 180_000_000)
    assert same is page and dpi == 250


def test_skew_is_measured_against_a_known_rotation(corpus_dir):
    page = _page(corpus_dir)
    own = preprocess.skew_angle(preprocess.analysis_copy(page))
    turned = page.rotate(2.0, Image.BICUBIC, fillcolor=255)
    assert abs(preprocess.skew_angle(preprocess.analysis_copy(turned)) - (own - 2.0)) <= 0.2
    assert abs(own) > 1  # the scan was made with a skew of 1.67°


def _share(image, low, high):
    histogram = image.histogram()
    return sum(histogram[low:high + 1]) / sum(histogram)


def test_uneven_light_is_flattened_and_the_ink_kept(corpus_dir):
    page = _page(corpus_dir, "scan-fr-ccass-com-2020-19-19463-p29.tif")
    # Lit from the right: the left edge a third darker, a grey sheet beside a white margin.
    shade = Image.linear_gradient("L").rotate(90).resize(page.size).point(lambda v: 170 + v * 85 // 255)
    uneven = ImageChops.multiply(page, shade)
    flat = preprocess.flatten_light(uneven, preprocess.analysis_copy(uneven))
    third = page.width // 3
    for box in ((0, 0, third, page.height), (2 * third, 0, page.width, page.height)):
        assert _share(uneven.crop(box), 245, 255) < 0.5 or box[0]  # the dark side's paper was grey
        assert _share(flat.crop(box), 230, 255) > 0.8  # paper is (near) white on both sides now
    text = (page.width // 5, page.height // 5, 4 * page.width // 5, 4 * page.height // 5)
    assert abs(_share(flat.crop(text), 0, 127) - _share(page.crop(text), 0, 127)) < 0.01  # the ink is kept


def test_the_scanner_bed_is_painted_out(corpus_dir):
    page = _page(corpus_dir).reduce(2)
    framed = ImageOps.expand(page, border=60, fill=30)
    prepared = preprocess.prepare(framed, 150, framed.width * framed.height * 2)
    assert "scanner border painted out" in prepared.notes
    image = prepared.image
    for strip in ((0, 0, image.width, 40), (0, 0, 40, image.height), (image.width - 40, 0, image.width, image.height)):
        assert _share(image.crop(strip), 0, 127) < 0.01, strip
    middle = (image.width // 4, image.height // 4, 3 * image.width // 4, 3 * image.height // 4)
    assert _share(image.crop(middle), 0, 127) > 0.02  # the text inside is kept


def test_a_page_on_its_side_is_told_from_an_upright_one(corpus_dir):
    for name in ("scan-us-scotus-2013-tarrant-v-herrmann-p7.tif", "scan-ae-decree-law-39-2022-p2.jpg",
                 "scan-fr-ccass-com-2020-19-19463-p1.jpg"):
        small = preprocess.analysis_copy(_page(corpus_dir, name))
        assert not preprocess.is_sideways(small), name
        assert preprocess.is_sideways(small.transpose(Image.Transpose.ROTATE_90)), name
        assert preprocess.is_sideways(small.transpose(Image.Transpose.ROTATE_270)), name


def test_prepare_turns_and_straightens_a_page_and_says_so(corpus_dir):
    page = ImageOps.expand(_page(corpus_dir), border=80, fill=30).transpose(Image.Transpose.ROTATE_90)
    prepared = preprocess.prepare(page, 300, 180_000_000)
    assert prepared.turned and prepared.image.mode == "L" and prepared.dpi == 300
    assert prepared.image.size == (page.height, page.width)
    assert any(note.startswith("deskewed by") for note in prepared.notes)
    upright = preprocess.prepare(_page(corpus_dir), 300, 180_000_000)
    assert not upright.turned and not any("turned" in note for note in upright.notes)



def test_the_page_tesseract_reads_is_binarised_at_the_ink_paper_split(corpus_dir):
    prepared = preprocess.prepare(_page(corpus_dir, "scan-ae-decree-law-39-2022-p2.jpg"), 300, 180_000_000)
    binary, grey = prepared.binary, prepared.image
    assert binary.mode == "1" and binary.size == grey.size
    assert 60 <= prepared.threshold <= 220
    dark = sum(grey.histogram()[: prepared.threshold + 1]) / (grey.width * grey.height)
    black = binary.histogram()[0] / (grey.width * grey.height)
    assert black == pytest.approx(dark, abs=1e-9) and 0.01 < black < 0.2


def test_a_blank_page_binarises_to_paper():
    prepared = preprocess.prepare(Image.new("L", (2480, 3508), 228), 300, 180_000_000)
    assert prepared.binary.getextrema() == (255, 255)
