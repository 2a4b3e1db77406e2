"""The harvest's vocabularies: kinds of source, schedules, states, and the vocabulary maps a
source carries (one per controlled field of an entry)."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

KINDS = {"dcat": _l("DCAT-AP catalogue (Turtle, JSON-LD, RDF/XML)"), "ckan": _l("CKAN API (package_search)"),
         "spreadsheet": _l("Spreadsheet in the import template (XLSX or CSV)")}
SCHEDULES = {"manual": _l("Manual only"), "daily": _l("Daily"), "weekly": _l("Weekly"), "monthly": _l("Monthly")}
SCHEDULE_EVERY = {"daily": timedelta(days=1), "weekly": timedelta(days=7), "monthly": timedelta(days=30)}

PROPOSED, APPROVED, REFUSED = "proposed", "approved", "refused"
# words other domains translate otherwise ("Failed" is 发送失败 for an e-mail) have the context "harvest"
SOURCE_STATES = {PROPOSED: _l("Awaiting the secretariat's approval"), APPROVED: lazy_pgettext("harvest", "Approved"),
                 REFUSED: _l("Refused")}

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
RUN_STATES = {QUEUED: _l("Queued"), RUNNING: lazy_pgettext("harvest", "Running"), DONE: _l("Done"),
              FAILED: lazy_pgettext("harvest", "Failed")}
COUNTS = ("created", "changed", "unchanged", "archived", "restored", "failed")
COUNT_LABELS = {"created": _l("New"), "changed": _l("Changed"), "unchanged": _l("Unchanged"),
                "archived": _l("Archived"), "restored": _l("Restored"), "failed": lazy_pgettext("harvest", "Failed")}

# The entry's controlled fields a source maps from its own values (field -> the catalogue's vocabulary name).
MAPPED_FIELDS = {"domain": _l("Domain"), "openness": _l("Openness"), "frequency": _l("Update frequency"),
                 "circulation_modes": _l("Circulation modes"), "licence": _l("Licence")}
# A map's key for "the source gives no value": what the member chose for it, never guessed.
NO_VALUE = ""

MAX_ARCHIVE_AFTER = 3
PREVIEW_RECORDS = 50
KEEP_RUNS_DAYS = 180  # a run's report is kept this long (the newest 20 of a source always)
KEEP_RUNS_MIN = 20
