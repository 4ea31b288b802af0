"""Reading a search's outcome in the terms the behaviour tests assert on."""

from search import service


def titles(user, text="", **options):
    """Titles of the documents found, in the order shown."""
    return [hit.document.title for hit in service.search(user, text, **options).hits]


def found(user, text="", **options):
    """Titles found, as a set, when the order does not matter."""
    return set(titles(user, text, limit=100, **options))


def facet(outcome, name):
    """{value: count} of one facet of an outcome."""
    return {option.value: option.count for facet in outcome.facets if facet.name == name for option in facet.options}
