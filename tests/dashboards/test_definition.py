"""A dashboard and a panel each have one definition (dashboards/schemas.py): the services' rules
and the compose forms come from it, so a field added to the definition reaches both."""
import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consortium.core.entity import Text, clean_values, described, form_fields
from consortium.core.exceptions import DomainError
from consortium.dashboards import forms, services
from consortium.dashboards.models import Dashboard
from consortium.dashboards.schemas import DashboardFields, PanelFields
from consortium.extensions import db


class WithSubtitle(DashboardFields):
    subtitle = Text(80, label=_l("Title (English)"))


def test_a_field_added_to_the_definition_reaches_the_rules_and_the_form(app):
    with app.test_request_context():
        assert clean_values(WithSubtitle, {"subtitle": "  季度  "}) == {"subtitle": "季度"}
        with pytest.raises(DomainError) as e:
            clean_values(WithSubtitle, {"subtitle": "长" * 81})
        assert e.value.field == "subtitle"
        generated = form_fields(WithSubtitle)
        assert list(generated) == [*described(DashboardFields), "subtitle"]


def test_the_forms_hold_every_defined_field_in_order(app):
    with app.test_request_context():
        form = forms.DashboardForm(meta={"csrf": False})
        assert [f.name for f in form if f.name in described(DashboardFields)] == list(described(DashboardFields))
        panel = forms.PanelForm(meta={"csrf": False})
        assert {"caption", "caption_en", "province", "date_from"} <= {f.name for f in panel}
        assert str(form.intro.label.text) == str(described(DashboardFields)["intro"].label)
        assert form.intro.widget.__class__.__name__ == "TextArea" and form.audience.type == "SelectField"
        assert list(described(PanelFields)) == ["caption", "caption_en"]


def test_the_definitions_limits_are_the_services_rules(union):
    n = db.session.scalar(select(func.count(Dashboard.id)))
    for fields, field in (({"slug": "long-title", "title": "看" * 201}, "title"),
                          ({"slug": "long-intro", "title": "看板", "intro": "介" * 5001}, "intro"),
                          ({"slug": "bad-audience", "title": "看板", "audience": "everyone"}, "audience"),
                          ({"slug": "unknown-field", "title": "看板", "owner": "x"}, "owner")):
        with pytest.raises(DomainError) as e:
            services.create_dashboard(union.secretariat, **fields)
        assert e.value.field == field
        db.session.rollback()
    assert db.session.scalar(select(func.count(Dashboard.id))) == n
    dashboard = services.create_dashboard(union.secretariat, slug="ok-board", title="  季度看板 ", audience="members")
    assert (dashboard.title, dashboard.audience, dashboard.intro) == ("季度看板", "members", "")
    panel = services.add_panel(union.secretariat, dashboard, "key_figures", caption="说明")
    with pytest.raises(DomainError) as e:
        services.configure_panel(union.secretariat, panel, caption="长" * 1001)
    assert e.value.field == "caption"


def test_a_field_added_to_a_panel_gets_its_input_on_the_compose_page(union, browser, make_dashboard, monkeypatch):
    from consortium.core.entity import form_class
    from consortium.dashboards import views as dashboard_views
    make_dashboard(slug="with-note", actor=union.secretariat)
    extra = type("WithNote", (PanelFields,), {"note": Text(80, label=_l("Caption (Chinese)"))})
    monkeypatch.setattr(dashboard_views, "PanelForm", form_class("PanelForm", forms._PanelFormBase, extra))
    browser.login("secretariat@cdou.example")
    html = browser.get("/dashboards/with-note/edit").get_data(as_text=True)
    panel = html[html.index('class="border rounded p-2 mb-2 compose-panel"'):]
    assert 'name="p' in panel and '-note"' in panel
