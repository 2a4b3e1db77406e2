"""Search of the resource map, behind one small interface:

    search(actor, params)            -> {"items", "total", "page", "per_page", "facets"}
    search_rows(actor, params)       -> the same, items as light ``ResourceRow`` (HTML list)
    count_visible(actor)             -> how many entries the actor may see (the home page's figure)
    result_size / result_ids         -> how many entries a search finds, and their ids in its order
    matching_ids(actor, params)      -> the ids it finds, unordered (facets other domains count)
    facet_counts(actor, params)      -> {facet: [{value, label, count}]}
    rows_for_export(actor, params)   -> a Select of the matching entries in the search's order
    build_select / count_matching / order_clauses / text_clause: the SQL form of the same rules

What a query means (``text.py``): every white-space separated term is a plain substring of
the entry's searchable text: title, description, keywords, providing department, the domain's
Chinese and English labels, the city's and its province's Chinese and English names and the
member's names (ASCII letters case-insensitively). Tests check both the in-memory engine and
the SQL form against a plain substring oracle on SQLite and PostgreSQL.

Behind it:
    text.py     the searchable text, grams and terms
    index.py    the text index the database keeps itself (PostgreSQL GIN over an immutable gram
                function; SQLite FTS5 of the same grams), the change-log triggers, the SQL clauses
    columns.py  per-process numpy columns of the facet fields, following the change log
    engine.py   matching, facet counts (numpy), ranking, the page
    params.py   request parameters
    sql.py      the same rules as one SQL statement
    guard.py    refuses ORM bulk UPDATE/DELETE of audited models (they would skip the audit)
"""

from . import index  # noqa: F401  (DDL on create_all, SQLite gram function)
from .engine import (ResourceRow, cached_fragment, count_visible, facet_counts, matching_ids, result_ids, result_size,
                     search, search_rows)
from .index import text_clause
from .params import FACETS, MAX_PER_PAGE, MAX_QUERY_LENGTH, SORTS, SearchParams
from .sql import build_select, count_matching, filter_clauses, order_clauses, rows_for_export
from .text import normalise, query_terms, term_grams, text_grams

__all__ = ["FACETS", "SORTS", "MAX_PER_PAGE", "MAX_QUERY_LENGTH", "SearchParams", "ResourceRow", "search",
           "search_rows", "count_visible", "matching_ids", "result_ids", "result_size", "facet_counts", "cached_fragment", "rows_for_export", "build_select", "count_matching",
           "filter_clauses", "order_clauses", "text_clause", "normalise", "query_terms", "term_grams",
           "text_grams"]
