"""No write path around the audit trail.

The audit trail is written by the ORM's flush events, which an ORM bulk
``update()``/``delete()`` statement never fires (the resource map's text index and change
log are kept by the database itself, see ``catalog/search/index.py``). This hook refuses ORM bulk UPDATE and
DELETE statements on audited models (``__audited__ = True``) executed through ``db.session``:
change such objects through the ORM, one object at a time, so that each change is audited.
Code that knowingly bypasses it (and writes its own audit rows) passes
``execution_options(audit_bypass_ok=True)``.
"""
from __future__ import annotations

from sqlalchemy import event

from consortium.core.exceptions import DomainError
from consortium.extensions import db


class BulkWriteRefused(DomainError):
    pass


def refuse_unaudited_bulk_writes(state) -> None:
    if not (state.is_update or state.is_delete) or not state.is_orm_statement:
        return
    if state.execution_options.get("audit_bypass_ok"):
        return
    for mapper in state.all_mappers:
        if getattr(mapper.class_, "__audited__", False):
            raise BulkWriteRefused(
                f"Bulk {'UPDATE' if state.is_update else 'DELETE'} of {mapper.class_.__name__} would bypass "
                "the audit trail: change the objects through the session instead.")


event.listen(db.session, "do_orm_execute", refuse_unaudited_bulk_writes)
