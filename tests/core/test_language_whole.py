"""Each language whole (and every page with a title and a meta description): every HTML page kind, crawled in English and in Chinese as a member,
shows no interface text of the other language. What users wrote (titles, descriptions, names
without an English form) may be in either language: a text is a leak when, after removing every
value users wrote, text of the other language remains. A Chinese name is not a user's text on an
English page when an English name is stored beside it (``name`` / ``name_en``). The interface
quotes no example of the other language either (an English page says “e.g. GPS, weather”, not
“e.g. 医保, 公交”): ``test_no_message_quotes_the_other_language`` reads the catalogues themselves, so
that messages shown only after a mistake are held too."""
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import JSON, String, Text, select

from consortium.auth.services import get_user_by_email
from consortium.extensions import db
from tests.route_walk import every_get_url, first_ids

pytestmark = pytest.mark.slow

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e]")
ENGLISH = re.compile(r"\b[A-Za-z]{3,}(?:[ -][A-Za-z]{2,})+\b")  # two English words or more
SKIP = {"static", "bootstrap.static", "portal.set_language", "openapi.swagger_ui", "openapi.docs_asset", "auth.logout"}
# words that are the same in both languages' pages: formats, protocol names, brand names
SHARED = re.compile(r"\b(?:CSV|XLSX|JSON(?:-LD)?|DCAT-AP|API|OpenAPI|Turtle|HTTP|Swagger UI|Bearer|UTC|CDOU|CC BY 4\.0|YYYY-MM-DD)\b")


class Texts(HTMLParser):
    """The text a reader sees or hears: text nodes and the attributes read aloud, not scripts, not
    what is marked as written in the other language (``lang``)."""

    def __init__(self, lang):
        super().__init__()
        self.lang, self.stack, self.out = lang, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        own = attrs.get("lang")
        hidden = tag in ("script", "style", "template") or (own and not own.startswith(self.lang))
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"):
            self.stack.append(hidden)
        if not any(self.stack):
            self.out += [v for k, v in attrs.items() if k in ("placeholder", "title", "aria-label", "alt") and v]

    def handle_endtag(self, tag):
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack) and data.strip():
            self.out.append(data.strip())


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def users_wrote(lang) -> list[str]:
    """Every text value stored in the database (JSON documents included), but Chinese names that
    have an English name beside them (on English pages), longest first."""
    values = set()
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)).mappings():
            for c in columns:
                value = row[c.name]
                if not value or (lang == "en" and row.get(c.name + "_en")):
                    continue
                for text in _strings(value):  # the whole text, its lines, and a list's items (医保,公交)
                    values.add(text.strip())
                    values.update(part.strip() for part in re.split(r"[\n\r\t]+", text) if part.strip())
                    values.update(part.strip() for part in re.split(r"[,，、;；]+", text) if part.strip())
    return sorted(values, key=len, reverse=True)


def leaks(html, lang, written) -> list[str]:
    parser = Texts(lang)
    parser.feed(html)
    found = []
    for text in parser.out:
        rest = text
        for value in written:
            if len(value) > 1 and value in rest:
                rest = rest.replace(value, " ")
        rest = SHARED.sub(" ", rest)
        if (CJK.search(rest) if lang == "en" else ENGLISH.search(re.sub(r"\S+@\S+|https?://\S+", " ", rest))):
            found.append(text[:80])
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_is_wholly_in_its_language(app, demo, browser, lang):
    args = first_ids() | {"slug": "quarterly", "adcode": "370200", "code": "qingdao",
                          "user_id": get_user_by_email("qingdao@cdou.example").id}
    written = users_wrote(lang)
    browser.get(f"/lang/{lang}")
    browser.login("qingdao@cdou.example")
    problems = {}
    for endpoint, url in every_get_url(app, args, SKIP):
        response = browser.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        title = re.search(r"<title>([^<]+)</title>", html)
        description = re.search(r'<meta name="description" content="([^"]{20,})"', html)
        if not (title and title.group(1).strip() and description):  # every page: a title and a description
            problems[endpoint + " (head)"] = ["no title or meta description"]
        found = leaks(html, lang, written)
        if found:
            problems[endpoint] = sorted(set(found))[:6]
    assert not problems, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))


def test_no_message_quotes_the_other_language(app):
    """Every message an English page may show is wholly English: no Chinese example inside an
    English message (“e.g. 医保”), no Chinese msgid left untranslated in the English catalogue."""
    from babel.messages.pofile import read_po
    with open(f"{app.root_path}/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    shown = [(m.id, m.string or m.id) for m in catalog if m.id and isinstance(m.id, str)]
    plural = [(m.id[0], " ".join(m.string) if any(m.string) else " ".join(m.id))
              for m in catalog if m.id and not isinstance(m.id, str)]
    chinese = [msgid for msgid, text in shown + plural if CJK.search(text)]
    assert not chinese, chinese[:10]
