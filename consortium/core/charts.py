"""What every domain's Plotly figures share."""


def count_axis(top, **extra) -> dict:
    """An axis of counts: whole-number ticks from 0 (plotly alone puts ticks at 0.5 or 0.2 when the
    largest count is small). ``top`` is the largest value drawn on the axis (a stack's total)."""
    axis = {"tickformat": ",d", "rangemode": "tozero", "tick0": 0}
    if (top or 0) <= 8:
        axis["dtick"] = 1
    axis.update(extra)
    return axis
