"""Spaces the recogniser left out, put back from the gaps on the page: drawn text, known boxes."""

from PIL import Image, ImageDraw, ImageFont

from ingest.reading_order import Line, Word
from ingest.word_spaces import restore_spaces

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"  # Debian's fonts-dejavu-core, a Pillow test font too


def _drawn(pieces, size=50):
    """A white strip with each (text, left) drawn at 300 dpi-like size; the Word of each piece's ink."""
    image = Image.new("L", (2400, 120), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, size)
    boxes = []
    for text, left in pieces:
        draw.text((left, 30), text, font=font, fill=0)
        boxes.append(draw.textbbox((left, 30), text, font=font))
    return image, boxes


def _word(text, box):
    left, top, right, bottom = box
    return Word(text, left, top, right - left, bottom - top, 90.0)


def _line_as_read(drawn, read):
    """The line `drawn` with the words Tesseract `read` (its pieces joined), boxed where they were drawn."""
    image = Image.new("L", (2400, 120), 255)
    font = ImageFont.truetype(FONT, 50)
    ImageDraw.Draw(image).text((100, 30), drawn, font=font, fill=0)
    words, start = [], 0
    for text in read:
        # Each read word covers the drawn characters up to its last one, spaces included.
        end, taken = start, 0
        while taken < len(text):
            taken += drawn[end] != " "
            end += 1
        left = 100 + font.getlength(drawn[:start])
        _, top, right, bottom = font.getbbox(drawn[start:end])
        words.append(Word(text, round(left), 30 + top, round(font.getlength(drawn[start:end])), bottom - top, 90.0))
        start = end + 1
    return image, Line((1, 1, 1), words)


def _with_a_line_of_prose(image, line):
    """The page's lines: `line`, and below it a line of ordinary words, which give the page's word space."""
    font = ImageFont.truetype(FONT, 50)
    page = Image.new("L", (image.width, image.height + 100), 255)
    page.paste(image, (0, 0))
    ImageDraw.Draw(page).text((100, image.height + 10), "the court held that", font=font, fill=0)
    prose, left = Line((1, 1, 2)), 100
    for text in "the court held that".split():
        _, top, right, bottom = ImageDraw.Draw(page).textbbox((left, image.height + 10), text, font=font)
        prose.words.append(Word(text, left, top, right - left, bottom - top, 90.0))
        left += round(font.getlength(text + " "))
    return page, [line, prose]


def test_a_letter_spaced_heading_is_split_into_its_letters():
    image, (box,) = _drawn([("R É P U B L I Q U E", 100)])
    page, lines = _with_a_line_of_prose(image, Line((1, 1, 1), [_word("RÉPUBLIQUE", box)]))
    restore_spaces(lines, page)
    parts = lines[0].words
    assert [part.text for part in parts] == list("RÉPUBLIQUE")
    assert box[0] <= parts[0].left < parts[1].left and parts[-1].right <= box[2]
    assert all(part.confidence == 90.0 for part in parts)


def test_a_space_before_a_comma_is_put_back():
    image, line = _line_as_read("3°/ M. J... Y..., domicilié [...] ,", ["3°/", "M.", "J...", "Y...,", "domicilié", "[...],"])
    restore_spaces([line], image)
    assert [word.text for word in line.words] == ["3°/", "M.", "J...", "Y...,", "domicilié", "[...]", ","]


def test_ordinary_words_are_left_whole():
    image, line = _line_as_read("1°/ The appeal was dismissed, “with costs”.", "1°/ The appeal was dismissed, “with costs”.".split())
    words = list(line.words)
    restore_spaces([line], image)
    assert line.words == words


def test_a_word_whose_shapes_do_not_match_its_letters_is_left_whole():
    # A speck inside the box makes one shape too many: no gap can be placed on a letter surely.
    image, (box,) = _drawn([("R É P U B L I Q U E", 100)])
    ImageDraw.Draw(image).rectangle((box[2] + 40, box[1], box[2] + 44, box[3]), fill=0)
    word = _word("RÉPUBLIQUE", (box[0], box[1], box[2] + 60, box[3]))
    page, lines = _with_a_line_of_prose(image, Line((1, 1, 1), [word]))
    restore_spaces(lines, page)
    assert lines[0].words == [word]


def test_right_to_left_words_are_left_as_read():
    image, (box,) = _drawn([("ا ل م ح ك م ة", 100)])  # letters drawn apart: still one Arabic word
    word = _word("المحكمة", box)
    page, lines = _with_a_line_of_prose(image, Line((1, 1, 1), [word]))
    restore_spaces(lines, page)
    assert lines[0].words == [word]
