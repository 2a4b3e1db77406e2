"""Plotly figures of the scenarios domain, built as plain dicts from service
data (no plotly.graph_objects: it validates every trace and is slow) and
rendered through templates/macros/charts.html; plotly.min.js is served
locally by core.plotly_js from the installed plotly package."""

from flask_babel import gettext as _

from .constants import STAGE_COLOURS, STAGE_LINE, STAGES

SIDE_STAGES = ("stalled", "withdrawn")


def _layout(**extra):
    layout = {"margin": {"l": 120, "r": 20, "t": 20, "b": 40}, "height": 320,
              "font": {"family": "system-ui, 'Noto Sans CJK SC', sans-serif"},
              "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"}
    layout.update(extra)
    return layout


def funnel(counts: dict, locale: str) -> dict:
    """How many replications stand at each stage: the main line as a funnel, then stalled/withdrawn."""
    stages = list(STAGE_LINE) + list(SIDE_STAGES)
    return {"data": [{"type": "funnel", "y": [str(STAGES[s]) for s in stages],
                      "x": [counts.get(s, 0) for s in stages], "textinfo": "value",
                      "marker": {"color": [STAGE_COLOURS[s] for s in stages]}}],
            "layout": _layout()}


def timeline(points: list, locale: str) -> dict:
    """Stage changes per month, stacked by the stage reached."""
    months = sorted({m for m, _s, _n in points})
    data = []
    for stage in list(STAGE_LINE) + list(SIDE_STAGES):
        by_month = {m: n for m, s, n in points if s == stage}
        if not by_month:
            continue
        data.append({"type": "bar", "name": str(STAGES[stage]), "x": months,
                     "y": [by_month.get(m, 0) for m in months], "marker": {"color": STAGE_COLOURS[stage]}})
    return {"data": data, "layout": _layout(barmode="stack", margin={"l": 50, "r": 20, "t": 50, "b": 60},
                                            xaxis={"type": "category", "title": {"text": _("Month")}},
                                            yaxis={"title": {"text": _("Stage changes")}},
                                            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})}
