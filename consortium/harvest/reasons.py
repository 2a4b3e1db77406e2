"""Why a run failed, as a stable code and its parameters: a run stores these (never a sentence
in the language of whoever started it) and every reader — the source's and the run's pages,
the API, the notification and e-mail to the source's member — reads the sentence in their own
language. ``Reason(code, **params)`` renders itself in the current language; ``render`` does the
same for a stored code and parameters (an unknown code, or a run stored before the codes, falls
back to the stored text)."""
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

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


def render(code: str, params: dict | None, fallback: str = "") -> str:
    """The sentence of ``code`` with ``params`` in the current language (decimals written the
    language's way), or ``fallback`` when the code is unknown or empty."""
    template = REASONS.get(code or "")
    if template is None:
        return fallback
    values = {key: format_decimal(value) if isinstance(value, float) else value
              for key, value in (params or {}).items()}
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):  # parameters stored by an older version of the sentence
        return fallback or str(template)


class Reason:
    """A failure reason: a code of ``REASONS`` and its parameters (JSON values)."""

    def __init__(self, code: str, **params):
        if code not in REASONS:
            raise KeyError(code)
        self.code, self.params = code, params

    def __str__(self) -> str:
        return render(self.code, self.params)

    def __repr__(self) -> str:
        return f"Reason({self.code!r}, {self.params!r})"
