"""Rows edited in a table of a form (tiers of a split, a scenario's data needs): inputs named
``<prefix>N-<field>``. Blank rows in the page add rows without JavaScript; ``static/js/rows.js``
adds one numbered after the highest, so numbers may have gaps: every number posted is read, in
order, and a row left wholly empty is dropped."""


def posted_rows(form, prefix: str, fields: tuple[str, ...]) -> list[dict] | None:
    """The filled rows posted under ``prefix`` as dicts of stripped strings, in row order; None
    when the form has no such rows at all."""
    numbers = set()
    for key in form:
        if key.startswith(prefix):
            number, _sep, field = key[len(prefix):].partition("-")
            if number.isdigit() and field in fields:
                numbers.add(int(number))
    if not numbers:
        return None
    rows = []
    for n in sorted(numbers):
        row = {f: str(form.get(f"{prefix}{n}-{f}") or "").strip() for f in fields}
        if any(row.values()):
            rows.append(row)
    return rows
