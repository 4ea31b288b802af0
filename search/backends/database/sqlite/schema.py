"""The FTS5 table of page rows (made by migration search 0001): the folded words of each page chunk, and
the stems of those words.

Text arrives folded (search.normalise), so the tokenizer only splits on spaces: `unicode61` without
its own diacritic removal, with `~` as a word character for the stems (`~eng~court`), which no folded
word contains. The table keeps its content: a row is deleted by its id, whatever its words were.
"""

TABLE = "search_page_fts"
