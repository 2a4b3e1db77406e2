"""The recognition check and the network of agreements on a day."""
from flask import flash, render_template, request, url_for
from flask_login import current_user

from consortium.core.exceptions import DomainError
from consortium.geo.maps import map_config

from .. import charts, permissions, queries
from ..services import bodies as body_services
from ..services import check as check_services
from ..services import common as common_services
from .common import _date_arg, _locale, bp


@bp.get("/check")
def check():
    if not permissions.can_check_recognition(current_user):
        # the check names enterprises and agreements' details: say so, and where anyone can verify
        return render_template("registers/check_members_only.html",
                               number=(request.args.get("certificate") or "").strip()), 401
    answer = error = None
    if request.args.get("certificate") or request.args.get("body") or request.args.get("city"):
        try:
            answer = check_services.check_from_params(current_user, request.args)
        except DomainError as e:
            error = e
    return render_template("registers/check.html", answer=answer, error=error, args=request.args,
                           bodies=queries.list_bodies(), cities=queries.cities_with_bodies(),
                           today=common_services.today(),
                           city_answer=isinstance(answer, check_services.CityAnswer))


@bp.get("/network")
def network():
    on, problem = _date_arg()
    if problem:
        flash(problem, "warning")
    body_code = request.args.get("body") or ""
    chosen = body_services.find_body(body_code) if body_code else None
    net = queries.network(on, chosen)
    locale = _locale()
    prefix = url_for(".body", code="_").rstrip("_")
    figure = charts.network_figure(net, locale, lambda b: prefix + b.code)
    rows = sorted(net.bodies, key=lambda b: (-(net.recognises[b.id] + net.recognised_by[b.id]), b.name))
    if chosen is None:
        rows = [b for b in rows if net.recognises[b.id] or net.recognised_by[b.id]]
    config = map_config()
    mutual = sum(1 for e in net.edges if e[2] == "mutual")
    return render_template("registers/network.html", net=net, figure=figure, config=config, rows=rows[:400],
                           hidden=max(0, len(rows) - 400), chosen=chosen, on=on, bodies=net.bodies,
                           mutual=mutual, one_way=len(net.edges) - mutual)
