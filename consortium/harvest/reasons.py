"""Why a run failed, as a stable code and its parameters: a run stores these (never a sentence
in the language of whoever started it) and every reader — the source's and the run's pages,
the API, the notification and e-mail to the source's member — reads the sentence in their own
language. ``Reason(code, **params)`` renders itself in the current language; ``render`` does the
same for a stored code and parameters (an unknown code, or a run stored before the codes, falls
back to the stored text).

A failed record's own reasons are kept the same way (``RECORD_REASONS``, stored in the run's
report as ``{"code", "params"}``). A parameter named ``field`` or ``column`` is the name of an
entry's field (a mapped one, or one the catalogue's rules refused) or of an import column, written
as its label in the reader's language; a parameter that is an object ``{language: text}`` is a message of the portal's own rules
(the catalogue's or the import's, which are sentences, not codes) kept in each of the site's
languages (``in_each_language``), and is read in the reader's."""
from contextlib import nullcontext

from flask import current_app
from flask_babel import force_locale, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from consortium.catalog.imports import column_title
from consortium.catalog.services import field_label
from consortium.core.exceptions import DomainError

from .constants import MAPPED_FIELDS

# code -> the sentence (a lazy msgid whose placeholders are the parameters' names)
REASONS = {
    "time_limit": _l("The run took longer than its limit of %(seconds)s seconds and was stopped; nothing was "
                     "changed (no entry written, none archived)."),
    "not_public": _l("The address %(host)s is not public; the harvester only reads public addresses."),
    "no_answer": _l("The source did not answer in time (%(url)s)."),
    "unreachable": _l("The source could not be reached (%(url)s): %(error)s"),
    "redirect_loop": _l("The source redirects in a loop (%(url)s)."),
    "http_status": _l("The source answered HTTP %(status)d (%(url)s)."),
    "too_large": _l("The source's answer is larger than %(mb)d MB (%(url)s)."),
    "too_many_redirects": _l("The source redirects more than %(n)d times (%(url)s)."),
    "not_rdf": _l("The source's answer is not readable as RDF (Turtle, JSON-LD or RDF/XML): %(url)s"),
    "paging_loop": _l("The source's pages link back to a page already read (%(url)s): a paging loop."),
    "too_many_pages": _l("The source has more than %(n)d pages."),
    "not_json": _l("The source's answer is not valid JSON (%(url)s): %(error)s"),
    "not_ckan": _l("The source's answer is not a CKAN package_search result (%(url)s)."),
    "spreadsheet_unreadable": _l("The spreadsheet cannot be read: %(reason)s"),
    "not_approved": _l("The source is not approved."),
    "member_suspended": _l("The member is suspended; its sources do not run."),
    "cancelled": _l("The run was cancelled; nothing was changed."),
    "unexpected": _l("The run failed unexpectedly; nothing was changed. It is tried again."),
    "job_ended": _l("The job carrying this run ended without finishing it (its worker stopped and the run was "
                    "given up); nothing was changed."),
    "worker_lost": _l("The run was still marked as running long after its time limit: its worker stopped. "
                      "Nothing was changed."),
    "never_started": _l("The run was never started (no worker took it); nothing was changed."),
}


# a failed record's reasons: code -> the sentence
RECORD_REASONS = {
    "no_identifier": _l("The record has no identifier."),
    "duplicate_identifier": _l("The identifier appears %(n)d times in the source; none of these records is used."),
    "code_taken": _l("The member already has an entry with the code %(code)s that no source feeds; attach it to "
                     "this record on the source's page."),
    "missing": _l("Missing from the source for %(n)d runs."),
    "not_object": _l("The record is not a JSON object."),
    "no_title": _l("The record has no title."),
    "no_value": _l("The source gives no %(field)s, and the source's map has no value for “(no value)”."),
    "unmapped": _l("Unmapped value “%(value)s” for %(field)s."),
    "column_missing": _l("%(column)s is missing."),
    "entry_rule": _l("%(field)s: %(message)s"),  # a rule of the catalogue refused a field's value
    "refused": "%(message)s",  # a rule of the catalogue (no field), or a row problem of the import: the message
}


def _field_title(name: str) -> str:
    return str(MAPPED_FIELDS[name]) if name in MAPPED_FIELDS else field_label(name)


LABELS = {"field": _field_title, "column": column_title}


def languages() -> list[str]:
    """The site's languages (``LANGUAGES``), the current one first."""
    current = str(get_locale() or "")
    return sorted(current_app.config.get("LANGUAGES") or [current], key=lambda code: code != current)


def in_language(texts: dict) -> str:
    """A text kept in each language, in the current one (else the site's default, else any)."""
    if not texts:
        return ""
    current = str(get_locale() or "")
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")
    return str(texts.get(current) or texts.get(current.split("_")[0]) or texts.get(default)
               or next(iter(texts.values())))


def in_each_language(call, first=None) -> dict:
    """``call()``'s answer (a message of the portal's own rules, or a list of them) in each of the
    site's languages: {language: answer}; ``first``, when given, is the current language's (not
    asked again). ``call`` must have no effect it keeps (a check, a parse)."""
    out = {}
    current = str(get_locale() or "").split("_")[0]
    for code in languages():
        here = code.split("_")[0] == current
        if here and first is not None:
            out[code], first = first, None
            continue
        with (nullcontext() if here else force_locale(code)):
            out[code] = call()
    return out


def refusal(error: DomainError, again) -> "Reason":
    """A record refused by a rule of the catalogue (``error``, in the current language), kept in
    each of the site's languages: ``again()`` asks the same question once more (under each other
    language) and returns the DomainError it raises, or None."""
    answers = in_each_language(again, first=error)
    texts = {code: found.message for code, found in answers.items() if found is not None}
    if error.field:
        return record_reason("entry_rule", field=error.field, message=texts)
    return record_reason("refused", message=texts)


def _value(key, value):
    if isinstance(value, dict):
        return in_language(value)
    if isinstance(value, float):
        return format_decimal(value)
    if key in LABELS and isinstance(value, str):
        return LABELS[key](value)
    return value


def render(code: str, params: dict | None, fallback: str = "", table: dict = REASONS) -> str:
    """The sentence of ``code`` (in ``table``) with ``params`` in the current language (decimals
    written the language's way, labels and kept messages in the language), or ``fallback`` when the
    code is unknown or empty."""
    template = table.get(code or "")
    if template is None:
        return fallback
    values = {key: _value(key, value) for key, value in (params or {}).items()}
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):  # parameters stored by an older version of the sentence
        return fallback or str(template)


def record_reason(code: str, /, **params) -> "Reason":
    """A failed record's reason: a code of ``RECORD_REASONS`` and its values."""
    return Reason(code, table=RECORD_REASONS, **params)


def render_record(reason) -> str:
    """A failed record's reason as stored in a report: ``{"code", "params"}`` read in the current
    language; a report stored before the codes holds the sentence itself (shown as it was)."""
    if isinstance(reason, dict):
        return render(reason.get("code", ""), reason.get("params"), table=RECORD_REASONS,
                      fallback=str(reason.get("code", "")))
    return str(reason)


class Reason:
    """A failure reason: a code of ``REASONS`` (a run's) or of ``RECORD_REASONS`` (a record's,
    ``table=RECORD_REASONS``) and its parameters (JSON values)."""

    def __init__(self, code: str, /, table: dict = REASONS, **params):
        if code not in table:
            raise KeyError(code)
        self.code, self.params, self.table = code, params, table

    def __str__(self) -> str:
        return render(self.code, self.params, table=self.table)

    def stored(self) -> dict:
        return {"code": self.code, "params": self.params}

    def __repr__(self) -> str:
        return f"Reason({self.code!r}, {self.params!r})"
