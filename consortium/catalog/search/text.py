"""What a query means, in one place: the searchable text of an entry, its grams and the
query's terms. Every other part of the engine (the database index, the in-memory facets,
where-next) matches through these rules.

The searchable text of an entry is its title, description, keywords and providing
department, the Chinese and English labels of its domain, the Chinese and English names of
its city and of that city's province, and the Chinese and English names of its member. A
query is split on white space into terms; an entry matches when every term is a plain
substring of that text (ASCII letters compared case-insensitively, everything else
exactly). A term never contains white space, so "a substring of the text" and "a substring
of one of its parts" are the same thing; the engine uses that: the entry's own columns are
indexed by the database, the names of its domain, city, province and member are matched
once per query against the (small) tables of names and applied by id.
"""
from __future__ import annotations

import string
import sys

from consortium.core.vocab import msgid

from .. import constants

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
UPPER, LOWER = string.ascii_uppercase, string.ascii_lowercase
MAX_GRAMS_PER_TERM = 6
ENTRY_FIELDS = ("title", "description", "keywords", "department")  # indexed by the database
# Every character Python's str.split() splits on; the SQL gram function uses the same list.
WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def normalise(value: str | None) -> str:
    """ASCII letters lower-cased; everything else unchanged (the search's only folding)."""
    return (value or "").translate(_ASCII_LOWER)


def text_grams(*values: str | None) -> set[str]:
    """Every character and every two-character sequence of each value (not across values
    nor across white space, which never occurs inside a query term)."""
    grams: set[str] = set()
    for value in values:
        prev = None
        for ch in normalise(value):
            if ch.isspace():
                prev = None
                continue
            grams.add(ch)
            if prev is not None:
                grams.add(prev + ch)
            prev = ch
    return grams


def query_terms(q: str | None) -> list[str]:
    terms: list[str] = []
    for term in normalise(q).split():
        if term not in terms:
            terms.append(term)
    return terms


def term_grams(term: str) -> list[str]:
    """The grams a term's matches must all contain. One or two characters: the term
    itself (exact); longer: a spread of its bigrams (candidates, then checked)."""
    if len(term) <= 2:
        return [term]
    bigrams = list(dict.fromkeys(term[i:i + 2] for i in range(len(term) - 1)))
    if len(bigrams) > MAX_GRAMS_PER_TERM:
        step = (len(bigrams) - 1) / (MAX_GRAMS_PER_TERM - 1)
        bigrams = [bigrams[round(i * step)] for i in range(MAX_GRAMS_PER_TERM)]
    return bigrams


def contains(term: str, *values: str | None) -> bool:
    return any(term in normalise(v) for v in values)


def domain_labels(code: str) -> tuple[str, str]:
    """The Chinese and English labels of a domain: part of its entries' searchable text."""
    term = constants.DOMAINS[code]
    return term.zh, msgid(term.en)


def domains_matching(term: str) -> list[str]:
    return [code for code in constants.DOMAINS if contains(term, *domain_labels(code))]
