"""The audit log and histories show stored documents as a reader writes them, never as JSON or a repr."""
from consortium.audit.labels import value_label


def test_lists_and_documents_are_shown_as_text(app):
    fields = [{"name": "credit_code", "type": "string", "description": "统一社会信用代码"},
              {"name": "score", "type": "number", "description": ""}]
    with app.test_request_context():
        shown = value_label("nothing_registered", "columns", fields)
        assert shown == "credit_code · string · 统一社会信用代码; score · number"
        assert value_label("nothing_registered", "keywords", ["医保", "公交"]) == "医保、公交"
        assert value_label("nothing_registered", "flags", {"open": True}) == "是"
    from flask_babel import force_locale
    with app.test_request_context(), force_locale("en"):
        assert value_label("nothing_registered", "keywords", ["医保", "公交"]) == "医保, 公交"


def test_resource_history_shows_no_json(browser, demo):
    from consortium.catalog.models import DataResource
    from consortium.extensions import db
    browser.login("qingdao@cdou.example")
    resource = next(r for r in db.session.scalars(db.select(DataResource).order_by(DataResource.id)) if r.schema_fields)
    html = browser.get(f"/resources/{resource.id}").get_data(as_text=True)
    history = html[html.index('class="audit-changes"'):]
    assert "&#39;name&#39;" not in history and "{" not in history.split("</table>")[0]
    assert f"{resource.schema_fields[0]['name']} · {resource.schema_fields[0]['type']}" in history
