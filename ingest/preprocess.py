"""Image clean-up before OCR, for scans of any origin: nothing here knows the corpus.

Each step is general: greyscale, a resolution fit for Tesseract, the scanner bed around the paper
painted white (dark borders become false text lines and upset the layout analysis), uneven light
flattened, and small skews straightened by the projection profile.
"""

from PIL import Image, ImageFilter, ImageMath

TARGET_DPI = 300  # Tesseract's models were trained on text of about 10-12 pt at 300 dpi
A4_SHORT_SIDE_INCHES = 8.27  # to guess a resolution the file does not give (letter is 8.5: close)
BED_LEVEL = 100  # grey level under which an edge-connected region is scanner bed, not paper
MAX_SKEW = 4.0  # degrees; larger angles are rotations for OSD, or deliberate layout
_WORK_WIDTH = 600  # analysis (bed, skew) runs on a small copy: the shapes are large


def greyscale(image):
    return image if image.mode == "L" else image.convert("L")


def effective_dpi(image, dpi):
    """The file's resolution, or one guessed from the page's short side as if it were A4."""
    if dpi and dpi >= 50:
        return dpi
    return min(image.size) / A4_SHORT_SIDE_INCHES


def fit_resolution(image, dpi, max_pixels):
    """Upscale a low-resolution page towards 300 dpi (text too small for Tesseract), within the limit."""
    dpi = effective_dpi(image, dpi)
    if dpi >= 0.8 * TARGET_DPI:
        return image, dpi
    factor = min(TARGET_DPI / dpi, (max_pixels / (image.width * image.height)) ** 0.5)
    if factor <= 1.05:
        return image, dpi
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.LANCZOS), dpi * factor


def _small(image):
    factor = max(1, image.width // _WORK_WIDTH)
    return image.reduce(factor) if factor > 1 else image.copy(), factor


def bed_mask(image):
    """A mask (255 = scanner bed) of the dark regions reaching the image's edges, at full size."""
    small, _ = _small(image)
    width, height = small.size
    pixels = small.load()
    mask = Image.new("L", small.size, 0)
    marks = mask.load()
    # Walk in from each edge while the pixel is dark: the bed is dark from the edge to the paper,
    # whatever the paper's skew; text never starts at the edge of a scan.
    for y in range(height):
        for xs in (range(width), range(width - 1, -1, -1)):
            for x in xs:
                if pixels[x, y] >= BED_LEVEL:
                    break
                marks[x, y] = 255
    for x in range(width):
        for ys in (range(height), range(height - 1, -1, -1)):
            for y in ys:
                if pixels[x, y] >= BED_LEVEL:
                    break
                marks[x, y] = 255
    if not mask.getbbox():
        return None
    # Widen by a few pixels: the paper's shadowed rim is darker than the paper.
    mask = mask.filter(ImageFilter.MaxFilter(5))
    return mask.resize(image.size, Image.NEAREST)


def whiten_bed(image):
    mask = bed_mask(image)
    if mask is None:
        return image
    return Image.composite(Image.new("L", image.size, 255), image, mask)


def flatten_light(image):
    """Divide by the estimated paper brightness, so a page lit unevenly has one background level."""
    small = image.reduce(16) if min(image.size) >= 320 else image
    # The brightest neighbourhood is the paper; text is removed by the max filter, then smoothed.
    background = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(4))
    background = background.resize(image.size, Image.BILINEAR)
    flat = ImageMath.lambda_eval(
        lambda a: a["convert"](a["min"](a["img"] * 255 / a["max"](a["bg"], 1), 255), "L"),
        img=image,
        bg=background,
    )
    return flat


def _profile_score(image):
    # Rows of a straight text page alternate between ink and paper: the sharper the row profile,
    # the straighter the text. Resizing to one column averages each row in C.
    column = image.resize((1, image.height), Image.BOX)
    values = [column.getpixel((0, y)) for y in range(column.height)]
    return sum((values[i] - values[i - 1]) ** 2 for i in range(1, len(values)))


def skew_angle(image):
    """The rotation (degrees, counter-clockwise) that makes text lines horizontal, 0 if unclear."""
    small, _ = _small(image)
    small = small.point(lambda v: 0 if v < 160 else 255)  # ink vs paper
    best_angle, best_score = 0.0, _profile_score(small)
    base = best_score
    for step, span in ((0.5, MAX_SKEW), (0.1, 0.5)):
        centre = best_angle
        count = int(span / step)
        for i in range(-count, count + 1):
            angle = centre + i * step
            if angle == centre or abs(angle) > MAX_SKEW:
                continue
            score = _profile_score(small.rotate(angle, Image.BILINEAR, fillcolor=255))
            if score > best_score:
                best_angle, best_score = angle, score
    # A blank or pictorial page has no profile to sharpen: leave it as it is.
    return best_angle if best_score > base * 1.02 else 0.0


def deskew(image):
    angle = skew_angle(image)
    if abs(angle) < 0.1:
        return image, 0.0
    return image.rotate(angle, Image.BICUBIC, expand=False, fillcolor=255), angle


def prepare(image, dpi, max_pixels):
    """The page image Tesseract reads, its resolution, and what was done (for the result's notes)."""
    done = []
    image = greyscale(image)
    before = effective_dpi(image, dpi)
    image, new_dpi = fit_resolution(image, dpi, max_pixels)
    if new_dpi != before:
        done.append(f"rescaled from {round(before)} to {round(new_dpi)} dpi")
    masked = whiten_bed(image)
    if masked is not image:
        done.append("scanner border whitened")
    image = flatten_light(masked)
    image, angle = deskew(image)
    if angle:
        done.append(f"deskewed by {angle:.1f}°")
    return image, new_dpi, done
