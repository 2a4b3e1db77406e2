"""What every domain's Plotly figures share."""


def count_axis(top, **extra) -> dict:
    """An axis of counts: whole-number ticks from 0 (plotly alone puts ticks at 0.5 or 0.2 when the
    largest count is small). ``top`` is the largest value drawn on the axis (a stack's total)."""
    axis = {"tickformat": ",d", "rangemode": "tozero", "tick0": 0}
    if (top or 0) <= 8:
        axis["dtick"] = 1
    axis.update(extra)
    return axis


def widen_count_axis(axis: dict, top) -> dict:
    """A count axis drawn up to ``top`` (a target line above the bars): room above it, ticks for it."""
    kept = {k: v for k, v in axis.items() if k != "dtick"}
    kept["range"] = [0, top * 1.15]
    return count_axis(top, **kept)
