"""What every domain's route × role table (tests/<domain>/test_routes.py) does the same way:
build an endpoint's URL from real ids, list a domain's endpoints, walk the GET table as one role."""
from flask import url_for


def url_of(app, endpoint, args, method=None) -> str:
    """The URL of ``endpoint`` (its rule for ``method`` when given) with the values in ``args``."""
    rule = next(r for r in app.url_map.iter_rules()
                if r.endpoint == endpoint and (method is None or method in r.methods))
    with app.test_request_context():
        return url_for(endpoint, **{k: args[k] for k in rule.arguments})


def endpoints_of(app, *prefixes, get_only=False) -> set[str]:
    return {r.endpoint for r in app.url_map.iter_rules()
            if r.endpoint.startswith(prefixes) and (not get_only or "GET" in r.methods)}


def walk_gets(browser, access: dict, roles, role_index, url_for_endpoint, *, login_redirect=True,
              redirect_elsewhere=()) -> dict:
    """Sign in as ``roles[role_index]`` (None: a visitor), GET every endpoint of ``access``
    ({endpoint: expected status per role}) and check the status; with ``login_redirect`` a 302
    goes to the sign-in page (except the endpoints of ``redirect_elsewhere``). Returns
    {endpoint: response} for further checks."""
    if roles[role_index]:
        browser.login(roles[role_index])
    responses = {}
    for endpoint, expected in access.items():
        response = browser.get(url_for_endpoint(endpoint))
        assert response.status_code == expected[role_index], (endpoint, roles[role_index])
        if login_redirect and response.status_code == 302 and endpoint not in redirect_elsewhere:
            assert "/auth/login" in response.headers["Location"], endpoint
        responses[endpoint] = response
    return responses


def _first(column, default=1):
    from sqlalchemy import select

    from consortium.extensions import db
    value = db.session.scalar(select(column).order_by(column).limit(1))
    return default if value is None else value


def _first_panel(panel, dashboard, slug):
    """The first panel of the dashboard the sweeps use (``slug``): its routes then reach their body."""
    from sqlalchemy import select

    from consortium.extensions import db
    value = db.session.scalar(select(panel.id).join(dashboard).where(dashboard.slug == slug).order_by(panel.id)
                              .limit(1))
    return 1 if value is None else value


def first_ids() -> dict:
    """A real value for every id argument of the app's routes (the first row of each model;
    1 where a table is empty, which answers 404): the sweeps that request every route start
    from these and put their own objects on top."""
    from consortium.agreements.models import Agreement
    from consortium.authorisations.models import AuthorisationApplication
    from consortium.catalog.access.models import AccessRequest
    from consortium.catalog.models import DataResource
    from consortium.counterparties.models import Counterparty, CounterpartyContact
    from consortium.dashboards.models import Dashboard, DashboardPanel
    from consortium.harvest.models import HarvestRun, HarvestSource
    from consortium.jobs.models import Job
    from consortium.negotiations.models import Amendment, Dossier, PricingModel
    from consortium.notifications.models import Notification
    from consortium.registers.models import Certificate, DataSpace, Recognition
    from consortium.scenarios.models import GroupMembership, Invitation, Replication, Scenario
    return {"agreement_id": _first(Agreement.id), "application_id": _first(AuthorisationApplication.id),
            "request_id": _first(AccessRequest.id), "resource_id": _first(DataResource.id),
            "counterparty_id": _first(Counterparty.id), "contact_id": _first(CounterpartyContact.id),
            "slug": (slug := _first(Dashboard.slug, "none")), "panel_id": _first_panel(DashboardPanel, Dashboard, slug),
            "dossier_id": _first(Dossier.id),
            "amendment_id": _first(Amendment.id), "model_id": _first(PricingModel.id),
            "notification_id": _first(Notification.id), "certificate_id": _first(Certificate.id),
            "recognition_id": _first(Recognition.id), "space_id": _first(DataSpace.id),
            "membership_id": _first(GroupMembership.id), "invitation_id": _first(Invitation.id),
            "replication_id": _first(Replication.id), "scenario_id": _first(Scenario.id), "job_id": _first(Job.id),
            "source_id": _first(HarvestSource.id), "run_id": _first(HarvestRun.id),
            "group_code": "transport", "code": "wenzhou", "adcode": "330300", "fmt": "csv",
            "number": 1, "version": 1, "index": 0, "filename": "index.html", "name": "swagger-ui.css",
            "token": "not-a-signed-token"}  # an unsubscribe link it did not sign: 404


def every_get_url(app, args, skip=()) -> list[tuple[str, str]]:
    """(endpoint, URL) for every GET route of the app but ``skip``, filled from ``args``;
    fails naming the route when an argument has no value (a new route must be swept too)."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in skip:
                continue
            missing = set(rule.arguments) - set(args)
            assert not missing, f"give the sweep a real value for {missing} ({rule.endpoint})"
            urls.append((rule.endpoint, url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})))
    return urls


def fresh_request_globals(*_args):
    """The tests keep one app context pushed; give each call a fresh ``g`` as production does
    (else the first call's user, cached by Flask-Login in ``g``, answers for all)."""
    from flask.globals import _cv_app
    ctx = _cv_app.get()
    ctx.g = ctx.app.app_ctx_globals_class()
