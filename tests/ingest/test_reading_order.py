"""Reading order rebuilt from Tesseract's word boxes: captions by column, tables by row."""

from ingest.reading_order import Line, Word, lines_from_tsv_rows, page_text

HEIGHT = 40  # word height in px, as on a 300 dpi page of 12 pt text


def _line(key, *cells):
    """A line of words from (text, left) cells; each word is 20 px a character wide."""
    line = Line(key)
    for text, left in cells:
        for word in text.split():
            line.words.append(Word(word, left, 100 * key[2], 20 * len(word), HEIGHT, 95.0))
            left += 20 * len(word) + 12
    return line


def test_a_caption_is_read_column_by_column():
    lines = [
        _line((1, 1, 1), ("In the Court of Appeals", 600)),
        _line((2, 1, 1), ("JANE DOE,", 300), (")", 1200), ("No. ED1", 1400)),
        _line((2, 1, 2), ("Appellant,", 400), (")", 1200), ("Appeal from the Circuit Court", 1400)),
        _line((2, 1, 3), (")", 1200), ("Honorable A. Judge", 1400)),
        _line((2, 1, 4), ("vs.", 300), (")", 1200)),
        _line((2, 1, 5), ("STATE,", 300), (")", 1200), ("Filed: January 19, 2021", 1400)),
        _line((3, 1, 1), ("The appellant appeals the judgment denying her motion for relief.", 300)),
    ]
    assert page_text(lines).split("\n") == [
        "In the Court of Appeals", "",
        "JANE DOE,", "Appellant,", "vs.", "STATE,",
        ")", ")", ")", ")", ")",
        "No. ED1", "Appeal from the Circuit Court", "Honorable A. Judge", "Filed: January 19, 2021", "",
        "The appellant appeals the judgment denying her motion for relief.",
    ]


def test_without_captions_the_rows_stay_as_tesseract_read_them():
    lines = [_line((1, 1, n), ("PARTY,", 300), (")", 1200), ("No. 1", 1400)) for n in range(1, 4)]
    assert page_text(lines, captions=False).split("\n") == ["PARTY, ) No. 1"] * 3


def test_a_table_of_terms_and_definitions_keeps_its_rows():
    # The colon hugs the definition (one word space): a term belongs with its definition.
    lines = [
        _line((1, 1, 1), ("Court", 300), (": the High Court of Justice", 900)),
        _line((1, 1, 2), ("Minister", 300), (": the Minister of Justice", 900)),
        _line((1, 1, 3), ("Child", 300), (": a person under eighteen", 900)),
    ]
    assert page_text(lines).split("\n") == [
        "Court : the High Court of Justice", "Minister : the Minister of Justice", "Child : a person under eighteen",
    ]


def test_a_form_with_a_colon_column_keeps_its_rows():
    # "Case No.      :      123": a colon standing clear on both sides is a label's, not a caption's.
    lines = [_line((1, 1, n), (label, 300), (":", 900), (value, 1100))
             for n, (label, value) in enumerate((("Case No.", "123"), ("Date", "2020"), ("Judge", "A. B.")), 1)]
    assert page_text(lines).split("\n") == ["Case No. : 123", "Date : 2020", "Judge : A. B."]


def test_two_bracket_rows_are_not_a_caption():
    lines = [_line((1, 1, n), ("PARTY,", 300), (")", 1200), ("No. 1", 1400)) for n in range(1, 3)]
    assert page_text(lines).split("\n") == ["PARTY, ) No. 1"] * 2


def test_a_caption_ends_where_text_runs_across_its_bracket_column():
    lines = [_line((1, 1, n), ("PARTY,", 300), (")", 1200), ("No. 1", 1400)) for n in range(1, 4)]
    lines.append(_line((1, 1, 4), ("A sentence long enough to run across the bracket column, and on.", 300)))
    assert page_text(lines).split("\n") == ["PARTY,"] * 3 + [")"] * 3 + ["No. 1"] * 3 + [
        "A sentence long enough to run across the bracket column, and on."
    ]


def test_a_right_to_left_caption_starts_with_its_right_column():
    lines = [_line((1, 1, n), ("رقم الدعوى", 300), (")", 1200), ("المدعي عليه", 1400)) for n in range(1, 4)]
    assert page_text(lines).split("\n") == ["المدعي عليه"] * 3 + [")"] * 3 + ["رقم الدعوى"] * 3


def test_tsv_rows_become_lines_without_layout_rows_or_empty_words():
    header = ["level", "page_num", "block_num", "par_num", "line_num", "word_num",
              "left", "top", "width", "height", "conf", "text"]
    rows = [
        ["1", "1", "0", "0", "0", "0", "0", "0", "2480", "3508", "-1", ""],
        ["4", "1", "1", "1", "1", "0", "300", "300", "400", "40", "-1", ""],
        ["5", "1", "1", "1", "1", "1", "300", "300", "180", "40", "96.5", "Hello"],
        ["5", "1", "1", "1", "1", "2", "500", "300", "10", "40", "95.0", " "],
        ["5", "1", "1", "1", "1", "3", "520", "300", "180", "40", "91.0", "court"],
        ["5", "1", "2", "1", "1", "1", "300", "400", "180", "40", "90.0", "Next"],
    ]
    lines = lines_from_tsv_rows(dict(zip(header, row, strict=True)) for row in rows)
    assert [line.text for line in lines] == ["Hello court", "Next"]
    assert lines[0].words[1] == Word("court", 520, 300, 180, 40, 91.0)
    assert page_text(lines) == "Hello court\n\nNext"
