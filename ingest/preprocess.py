"""Image preparation before OCR, for scans of any origin: nothing here knows the corpus.

Only what Tesseract does badly or slowly is done here, and cheaply (the whole preparation costs a few
per cent of Tesseract's own time on the page; the analyses run on a copy a quarter of the size, where
text lines are still lines):

- greyscale, and a resolution fit for Tesseract (low-resolution pages upscaled towards 300 dpi);
- the scanner bed around the paper painted as paper: dark borders become false text lines;
- light flattened: each pixel set against the paper's local brightness, so the paper is white all over.
  Tesseract's threshold is global: on a page lit unevenly it loses thin strokes (Arabic dots) on the
  dark side, and on a grey sheet with a white margin it splits paper from margin and reads nothing;
- skew: measured by the projection profile and straightened, because Tesseract's single-column
  segmentation cuts skewed lines into fragments;
- a page lying on its side (90°): its text lines run down the copy, which the same profiles tell;
- binarised at Otsu's threshold of the flattened page: Tesseract reads a 1-bit image about a sixth
  faster than a grey one (it skips its own thresholding), and read the validation scans better.

Upside-down pages look like upright ones to every cheap measure; ingest.ocr checks them by
Tesseract's confidence after recognition instead of running orientation detection on every page.
"""

from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageFilter

TARGET_DPI = 300  # Tesseract's models were trained on text of about 10-12 pt at 300 dpi
A4_SHORT_SIDE_INCHES = 8.27  # to guess a resolution the file does not give (letter is 8.5: close)
MAX_SKEW = 4.0  # degrees; larger angles are rotations, or deliberate layout
MIN_SKEW = 0.1  # below this, rotating the page changes nothing Tesseract sees
WORK_WIDTH = 600  # analysis runs on a copy about this wide: text lines are still lines there
PAPER_SHARE = 0.10  # the brightest tenth of a page's pixels is paper: text and scanner bed are darker
BED_LEVEL = 100  # grey level under which a region reaching the image's edge is scanner bed, not paper
SIDEWAYS_RATIO = 1.25  # column profile this much sharper than the row profile: the lines run vertically


def greyscale(image):
    return image if image.mode == "L" else image.convert("L")


def effective_dpi(image, dpi):
    """The file's resolution, or one guessed from the page's short side as if it were A4."""
    if dpi and dpi >= 50:
        return dpi
    return min(image.size) / A4_SHORT_SIDE_INCHES


def fit_resolution(image, dpi, max_pixels):
    """Upscale a low-resolution page towards 300 dpi (text too small for Tesseract), within the limit.

    Pages at 240 dpi or more are left as they are: Tesseract reads them as well, and faster.
    """
    dpi = effective_dpi(image, dpi)
    if dpi >= 0.8 * TARGET_DPI:
        return image, dpi
    factor = min(TARGET_DPI / dpi, (max_pixels / (image.width * image.height)) ** 0.5)
    if factor <= 1.05:
        return image, dpi
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.BICUBIC), dpi * factor


def analysis_copy(image):
    """A copy about WORK_WIDTH wide (box-averaged, so thin strokes stay visible as grey)."""
    factor = max(1, image.width // WORK_WIDTH)
    return image.reduce(factor) if factor > 1 else image.copy()


def paper_level(small):
    """The grey level of the paper: the darkest of the brightest PAPER_SHARE of the pixels."""
    histogram = small.histogram()
    wanted, seen = PAPER_SHARE * sum(histogram), 0
    for level in range(255, -1, -1):
        seen += histogram[level]
        if seen >= wanted:
            return level
    return 255


def _edge_runs(data, width, height):
    """For each row of a bytes image (0 = dark), the lengths of its dark runs from the left and right."""
    runs = []
    for y in range(height):
        row = data[y * width:(y + 1) * width]
        left = width - len(row.lstrip(b"\x00"))
        right = width - len(row.rstrip(b"\x00")) if left < width else 0
        runs.append((left, right))
    return runs


def _paint_runs(mask, runs, width):
    for y, (left, right) in enumerate(runs):
        if left:
            mask[y * width:y * width + left] = b"\xff" * left
        if right:
            mask[(y + 1) * width - right:(y + 1) * width] = b"\xff" * right


def bed_mask(small):
    """A mask (255 = scanner bed) of the dark regions reaching the copy's edges, or None if there are none.

    Walks in from each edge while the pixel is dark (the bed is dark from the edge to the paper,
    whatever the paper's skew; text never starts at the edge of a scan), rows and columns, in C.
    """
    dark = small.point(lambda v: 0 if v < BED_LEVEL else 255)
    width, height = dark.size
    rows = _edge_runs(dark.tobytes(), width, height)
    columns = _edge_runs(dark.transpose(Image.Transpose.TRANSPOSE).tobytes(), height, width)
    if not any(left or right for left, right in rows + columns):
        return None
    mask = bytearray(width * height)
    _paint_runs(mask, rows, width)
    transposed = bytearray(Image.frombytes("L", (width, height), bytes(mask)).transpose(Image.Transpose.TRANSPOSE).tobytes())
    _paint_runs(transposed, columns, height)
    mask = Image.frombytes("L", (height, width), bytes(transposed)).transpose(Image.Transpose.TRANSPOSE)
    # Widened by two pixels, to take the paper's shadowed rim too (a box blur and a threshold: a
    # maximum filter would cost ten times as much).
    return mask.filter(ImageFilter.BoxBlur(2)).point(lambda v: 255 if v else 0)


def paint_bed(image, small):
    """The image and its copy with the scanner bed painted in the paper's grey (not white: see below)."""
    mask = bed_mask(small)
    if mask is None:
        return image, small, False
    # Paper-grey, not white: light flattening then makes bed and paper white together; a white bed
    # beside grey paper would leave a bright frame that the flattening turns into a dark one.
    paper = paper_level(small)
    image = Image.composite(Image.new("L", image.size, paper), image, mask.resize(image.size, Image.NEAREST))
    small = Image.composite(Image.new("L", small.size, paper), small, mask)
    return image, small, True


def flatten_light(image, small):
    """Divide each pixel by the paper's local brightness: paper white, ink in proportion, all over.

    The paper's brightness is the copy's local maximum (text removed) smoothed, at a sixteenth of the
    size. Pillow has no division of images short of ImageMath's 32-bit arithmetic (ten times slower),
    so the division is a multiplication by half the gain, 255 / (2 * paper), an 8-bit image, and a
    doubling.
    """
    background = small.reduce(4) if min(small.size) >= 80 else small
    background = background.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(4))
    half_gain = background.point(_HALF_GAIN)
    # Nearest-neighbour is enough for a gain this smooth, and a quarter of bilinear's cost.
    half = ImageChops.multiply(image, half_gain.resize(image.size, Image.NEAREST))
    return ImageChops.add(half, half)


_HALF_GAIN = [min(255, round(255 * 255 / (2 * max(level, 1)))) for level in range(256)]


def _profile_score(image):
    # Rows of straight text alternate between ink and paper: the sharper the row profile, the
    # straighter the lines. Resizing to one column averages each row in C.
    values = image.resize((1, image.height), Image.BOX).tobytes()
    return sum((a - b) ** 2 for a, b in zip(values, values[1:], strict=False))


def _ink(small):
    return small.point(lambda v: 0 if v < 160 else 255)


def _best_angle(ink, centre, step, span):
    """The angle within centre ± span (by step) whose rotation gives the sharpest row profile."""
    best_angle, best_score = centre, None
    count = round(span / step)
    for i in range(-count, count + 1):
        angle = round(centre + i * step, 2)
        if abs(angle) > MAX_SKEW:
            continue
        # Nearest-neighbour on a binary copy: ten times cheaper than bicubic, the same verdict.
        score = _profile_score(ink.rotate(angle, Image.NEAREST, fillcolor=255) if angle else ink)
        if best_score is None or score > best_score:
            best_angle, best_score = angle, score
    return best_angle, best_score


def skew_angle(small):
    """The rotation (degrees, counter-clockwise) that makes text lines horizontal, 0 if unclear.

    `small` is an analysis copy; the search rotates it about twenty times, coarse to fine, the
    coarse steps on a copy half as wide again.
    """
    ink = _ink(small)
    base = _profile_score(ink)
    angle, _ = _best_angle(_ink(small.reduce(2)), 0.0, 1.0, MAX_SKEW)
    angle, score = _best_angle(ink, angle, 0.25, 0.75)
    angle, score = _best_angle(ink, angle, 0.1, 0.2)
    # A blank or pictorial page has no profile to sharpen: leave it as it is.
    return angle if score > base * 1.02 else 0.0


def is_sideways(small):
    """Whether the page's text lines run vertically (the page was scanned turned by 90°).

    Each orientation is given its best coarse skew, so a skewed upright page is not mistaken.
    """
    ink = _ink(small.reduce(2))
    _, rows = _best_angle(ink, 0.0, 1.0, MAX_SKEW)
    _, columns = _best_angle(ink.transpose(Image.Transpose.ROTATE_90), 0.0, 1.0, MAX_SKEW)
    return columns > SIDEWAYS_RATIO * rows


def straighten(image, angle):
    """Rotate by `angle` degrees counter-clockwise, corners filled white.

    Nearest-neighbour: over the corpus's scans and the validation scans Tesseract read the pages as
    well as after a bilinear or bicubic rotation (better on some pages, worse on others), and it
    costs a fifth of bilinear and a tenth of bicubic on a 300 dpi page.
    """
    if abs(angle) < MIN_SKEW:
        return image
    return image.rotate(angle, Image.NEAREST, expand=False, fillcolor=255)


def otsu_threshold(histogram):
    """The grey level that best splits a histogram in two classes (Otsu's between-class variance)."""
    total = sum(histogram)
    weighted = sum(level * count for level, count in enumerate(histogram))
    best, threshold, below, below_weighted = -1.0, 128, 0, 0
    for level, count in enumerate(histogram):
        below += count
        below_weighted += level * count
        if below == 0 or below == total:
            continue
        mean_below = below_weighted / below
        mean_above = (weighted - below_weighted) / (total - below)
        variance = below * (total - below) * (mean_below - mean_above) ** 2
        if variance > best:
            best, threshold = variance, level
    return threshold


def binarise(image):
    """(the 1-bit image, its threshold): ink is what is at or below Otsu's threshold of the page."""
    threshold = otsu_threshold(analysis_copy(image).histogram())
    return image.point([255 if level > threshold else 0 for level in range(256)], "1"), threshold


@dataclass
class Prepared:
    image: Image.Image  # greyscale, flattened, straightened: the page as shown, word boxes on its grid
    dpi: float
    notes: list = field(default_factory=list)  # what was done, for the page's notes
    turned: bool = False  # found on its side and turned by 90° clockwise: it may now be upside down
    binary: Image.Image = None  # the same page in 1 bit: what Tesseract reads
    threshold: int = 128  # the grey level that split ink (at or below) from paper in `binary`

    def turn(self, transpose):
        """Turn both images by a PIL transpose (for a page found upside down after all)."""
        self.image, self.binary = self.image.transpose(transpose), self.binary.transpose(transpose)


def prepare(image, dpi, max_pixels):
    """The page image Tesseract reads, its resolution, and what was done to it."""
    prepared = Prepared(greyscale(image), effective_dpi(image, dpi))
    before = prepared.dpi
    image, prepared.dpi = fit_resolution(prepared.image, dpi, max_pixels)
    if prepared.dpi != before:
        prepared.notes.append(f"rescaled from {round(before)} to {round(prepared.dpi)} dpi")
    small = analysis_copy(image)
    image, small, painted = paint_bed(image, small)
    if painted:
        prepared.notes.append("scanner border painted out")
    image = flatten_light(image, small)
    small = analysis_copy(image)
    if is_sideways(small):
        image = image.transpose(Image.Transpose.ROTATE_270)
        small = small.transpose(Image.Transpose.ROTATE_270)
        prepared.turned = True
        prepared.notes.append("turned by 90° (its text lines ran vertically)")
    angle = skew_angle(small)
    prepared.image = straighten(image, angle)
    if abs(angle) >= MIN_SKEW:
        prepared.notes.append(f"deskewed by {angle:.1f}°")
    prepared.binary, prepared.threshold = binarise(prepared.image)
    return prepared
