"""Marking the query's words in titles and descriptions of the result list.

The text is escaped first, then every case-insensitive occurrence of a query term
is wrapped in ``<mark>``: the marks can never carry markup from the data."""
import re

from markupsafe import Markup, escape

MAX_TERMS = 10


def query_terms(q: str | None) -> list[str]:
    """The words of a query as the search splits them (whitespace), longest first,
    without duplicates (compared case-folded)."""
    seen, terms = set(), []
    for term in (q or "").split():
        key = term.casefold()
        if key not in seen:
            seen.add(key)
            terms.append(term)
    return sorted(terms, key=len, reverse=True)[:MAX_TERMS]


def _pattern(terms):
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def highlight(text: str | None, q: str | None, snippet: int | None = None) -> Markup:
    """``text`` escaped, with the query's terms marked. With ``snippet=N``, long text is
    cut to about N characters around the first match (with … where cut)."""
    text = text or ""
    pattern = _pattern(query_terms(q))
    first = pattern.search(text) if pattern else None
    prefix = suffix = ""
    if snippet and len(text) > snippet:
        start = max(0, (first.start() if first else 0) - snippet // 4)
        end = min(len(text), start + snippet)
        prefix, suffix = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
        text = text[start:end]
    if pattern is None:
        return Markup(escape(prefix + text + suffix))
    out, pos = [escape(prefix)], 0
    for match in pattern.finditer(text):
        out.append(escape(text[pos:match.start()]))
        out.append(Markup("<mark>") + escape(match.group(0)) + Markup("</mark>"))
        pos = match.end()
    out.append(escape(text[pos:]))
    out.append(escape(suffix))
    return Markup("").join(out)
