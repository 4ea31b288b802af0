"""The PostgreSQL page table (made by migration search 0001): one tsvector per page chunk, written by
Sijill, under a GIN index.

The vector is built in Python from the folded words (search.normalise) with their positions, plus the
page's stems without positions: PostgreSQL's own parser and dictionaries never see the text, so both
database engines match exactly the same words. `toast_tuple_target` keeps the vectors out of the narrow
heap rows (STACK.md), and a high statistics target helps the planner with very common and very rare words.
"""

TABLE = "search_page"
# The rank index (RUM), made by migration search 0003 when the server offers the extension, partial
# since 0005. Its condition holds for every row (row ids are positive): only a statement that states it
# may read the index, and only the walk in score order does (compiler.RankIndexCompiler). Finding the
# pages a query matches stays with GIN, which keeps no positions: 14 ms for a phrase with a common word
# at 1,000,000 pages, where RUM reads every position of that word and takes 40.
RANK_INDEX = "search_page_rank"
RANK_INDEX_CONDITION = "id >= 0"
RANK_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {RANK_INDEX} ON {TABLE} USING rum (vector rum_tsvector_ops) WHERE {RANK_INDEX_CONDITION}"
