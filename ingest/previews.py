"""Page images for the reader: a preview and a thumbnail as WebP, on the geometry of the word boxes.

The reader draws a hit's box on the preview by scaling the box by preview width / page width, so a
preview is the page image the boxes were measured on (the prepared OCR image, or the PDF page rendered
over its displayed area), scaled uniformly. WebP is encoded at a fast setting: a born-digital page's
text takes ~5 ms, and its preview would otherwise cost ten times that.
"""

import io

from PIL import Image

from ingest.config import setting

PREVIEW_LONG_SIDE = 1650  # px: an A4 page at ~200 dpi, enough to read footnotes in a scan
THUMBNAIL_LONG_SIDE = 200
WEBP_QUALITY = 65
WEBP_METHOD = 0  # libwebp's fastest; 2 is ~20 % smaller and ~20 % slower on text pages


def preview_long_side():
    return int(setting("SIJILL_PREVIEW_LONG_SIDE", PREVIEW_LONG_SIDE))


def thumbnail_long_side():
    return int(setting("SIJILL_THUMBNAIL_LONG_SIDE", THUMBNAIL_LONG_SIDE))


def fit(image, long_side):
    """`image` scaled uniformly so its long side is at most `long_side` (never enlarged)."""
    factor = long_side / max(image.size)
    if factor >= 1:
        return image
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def webp(image):
    """WebP bytes of `image`. libwebp takes RGB; converting here is faster than letting Pillow do it."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return buffer.getvalue()


def page_images(image):
    """(preview, thumbnail) WebP bytes of a page image."""
    if image.mode not in ("L", "RGB"):
        # Bilevel and 16-bit scans are shown in grey: scaling a 1-bit image down would drop thin strokes.
        image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK", "YCbCr", "LAB", "HSV") else "L")
    preview = fit(image, preview_long_side())
    thumbnail = fit(preview, thumbnail_long_side())
    return webp(preview), webp(thumbnail)


def render_pdf_page(page):
    """The PDF page's displayed area (crop box, /Rotate applied) at the preview's size, in colour.

    Court stamps and seals are often coloured, so a born-digital page keeps its colours.
    """
    width, height = page.get_size()
    # pypdfium2 rounds the bitmap up; stay just under the long side so it lands on it.
    scale = (preview_long_side() - 0.01) / max(width, height)
    return page.render(scale=scale).to_pil()
