"""The recognition network as a Plotly figure on the standard map of China
(``consortium.geo.maps.china_map``, provinces and the 南海诸岛 inset): bodies as markers, mutual recognitions as solid green lines,
one-way recognitions as dashed orange lines with an arrow-head marker near the body
whose certificates are accepted. Rendered by ``templates/macros/charts.html``."""
import math

from flask_babel import gettext as _

from consortium.geo.maps import china_map, short_place_name

MUTUAL, ONE_WAY, NODE = "#15803d", "#d97706", "#1e3a8a"


def _positions(bodies):
    """Longitude and latitude per body; bodies of the same city are fanned out a little."""
    per_city = {}
    for b in bodies:
        per_city.setdefault(b.city_id, []).append(b)
    out = {}
    for group in per_city.values():
        for k, b in enumerate(group):
            angle = 2 * math.pi * k / len(group)
            r = 0 if len(group) == 1 else 0.35
            out[b.id] = (b.city.longitude + r * math.cos(angle), b.city.latitude + r * math.sin(angle))
    return out


ARROWS_UP_TO = 2000  # arrow-head markers beyond this many one-way edges would only clutter the map


def network_figure(net, locale: str, body_url) -> dict:
    pos = {i: (round(x, 3), round(y, 3)) for i, (x, y) in _positions(net.bodies).items()}
    traces = []
    for kind, color, dash, name in (("mutual", MUTUAL, "solid", _("Mutual recognition")),
                                    ("one_way", ONE_WAY, "dash", _("One-way recognition"))):
        lon, lat = [], []
        for a, b, k in net.edges:
            if k == kind:
                lon += [pos[a][0], pos[b][0], None]
                lat += [pos[a][1], pos[b][1], None]
        traces.append({"type": "scattergeo", "mode": "lines", "name": name, "lon": lon, "lat": lat,
                       "hoverinfo": "skip", "line": {"width": 1.6 if kind == "mutual" else 1.4, "color": color,
                                                     "dash": dash}, "opacity": 0.75})
    # one way: an arrow head three quarters of the way, pointing at the body whose certificates are accepted
    heads = [(a, b) for a, b, k in net.edges if k == "one_way"]
    if heads and len(heads) <= ARROWS_UP_TO:
        names = {b.id: b.display_name(locale) for b in net.bodies}
        template = _("%(a)s accepts %(b)s's certificates", a="\x00a", b="\x00b")
        lon = [round(pos[a][0] + 0.75 * (pos[b][0] - pos[a][0]), 3) for a, b in heads]
        lat = [round(pos[a][1] + 0.75 * (pos[b][1] - pos[a][1]), 3) for a, b in heads]
        traces.append({"type": "scattergeo", "mode": "markers", "lon": lon, "lat": lat, "showlegend": False,
                       "text": [template.replace("\x00a", names[a]).replace("\x00b", names[b]) for a, b in heads],
                       "hoverinfo": "text",
                       "marker": {"symbol": "triangle-up", "size": 9, "color": ONE_WAY,
                                  "angle": [_bearing(pos[a], pos[b]) for a, b in heads]}})
    shown = [b for b in net.bodies if net.recognises[b.id] or net.recognised_by[b.id]] or net.bodies
    labelled = _labelled(shown, pos, net)
    accepts = _("accepts %(n)d bodies' certificates", n=999999)
    accepted = _("accepted by %(n)d bodies", n=999999)
    traces.append({
        "type": "scattergeo", "mode": "markers+text", "name": _("Registration body"),
        "lon": [pos[b.id][0] for b in shown], "lat": [pos[b.id][1] for b in shown],
        "text": [short_place_name(b.city.display_name(locale)) if b.id in labelled else "" for b in shown],
        "textposition": "top center", "textfont": {"size": 11, "color": "#111827"},
        "hovertext": [f"{b.display_name(locale)}<br>" + accepts.replace("999999", str(net.recognises[b.id]))
                      + "<br>" + accepted.replace("999999", str(net.recognised_by[b.id])) for b in shown],
        "hoverinfo": "text", "customdata": [body_url(b) for b in shown],
        "marker": {"size": [8 + min(16, 2 * (net.recognises[b.id] + net.recognised_by[b.id]) ** 0.5 * 2)
                            for b in shown], "color": NODE, "line": {"width": 1, "color": "#ffffff"}}})
    return china_map(locale=locale, overlays=traces, legend=True, height=560)


def _labelled(bodies, pos, net, min_distance=2.0, most=40) -> set[int]:
    """Bodies whose city name is written on the map: the best connected first, none closer
    than ``min_distance`` degrees to one already written (hover and the table name the rest)."""
    chosen = []
    for b in sorted(bodies, key=lambda b: -(net.recognises[b.id] + net.recognised_by[b.id])):
        x, y = pos[b.id]
        if len(chosen) >= most:
            break
        if all((x - pos[c][0]) ** 2 + (y - pos[c][1]) ** 2 >= min_distance ** 2 for c in chosen):
            chosen.append(b.id)
    return set(chosen)


def _bearing(a, b) -> float:
    """Marker angle (degrees clockwise from north) from point a towards point b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    return round(math.degrees(math.atan2(dx, dy)), 1)
