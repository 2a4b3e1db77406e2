"""WCAG 2.1 AA in real Chromium: axe-core (bundled in the axe-playwright-python package, served
from this machine, never a CDN) on the key page kinds, in both languages, at 1366 and 390 px, as a
visitor and as a member. No serious or critical violation may remain."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PUBLIC = ["/", "/resources/", "/resources/{resource}", "/resources/map", "/members/", "/members/qingdao",
          "/cities/370200", "/d/quarterly", "/registers/network", "/registers/", "/scenarios/", "/scenarios/groups/{group}/board", "/resources/matrix",
          "/cities/", "/auth/login", "/d/operations"]
MEMBER = ["/me", "/negotiations/", "/negotiations/{dossier}", "/notifications/", "/dashboards/", "/d/operations",
          # forms with searchable pickers (checkboxes, filter boxes, the entry combobox) and tier rows
          "/agreements/new", "/negotiations/new", "/negotiations/{dossier}/position"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}


def serious(page):
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']} ({v['impact']}): " + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                                                       for n in v["nodes"][:4]) + f" [{len(v['nodes'])}]"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def _sign_in(page, email):
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "cdou-demo-2025")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_selector("#account-link", state="attached")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_key_pages_have_no_serious_axe_violation(chromium, live_server, demo, lang):
    from consortium.catalog.models import DataResource
    from consortium.extensions import db
    from consortium.negotiations.models import Dossier
    from consortium.scenarios.models import ScenarioGroup
    ids = {"resource": db.session.scalar(db.select(DataResource.id).where(DataResource.is_public).order_by(DataResource.id).limit(1)),
           "group": db.session.scalar(db.select(ScenarioGroup.code).order_by(ScenarioGroup.id).limit(1)),
           "dossier": db.session.scalar(db.select(Dossier.id).order_by(Dossier.id).limit(1))}
    found = {}
    for width, height in ((1366, 900), (390, 844)):
        # axe is injected by evaluate (the page's own CSP forbids it nothing else)
        context = chromium.new_context(base_url=live_server, viewport={"width": width, "height": height},
                                       bypass_csp=True)
        page = context.new_page()
        page.goto(f"/lang/{lang}")
        for url in PUBLIC:
            page.goto(url.format(**ids))
            problems = serious(page)
            if problems:
                found[f"{width} {url}"] = problems
        _sign_in(page, "qingdao@cdou.example")
        for url in MEMBER:
            page.goto(url.format(**ids))
            if width == 1366:  # the navigation on one line (a member has the most entries)
                assert page.locator("nav.navbar").bounding_box()["height"] < 70, (lang, url)
            problems = serious(page)
            if problems:
                found[f"{width} member {url}"] = problems
        context.close()
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())
