"""The audit trail, designed once: every flushed insert, update or delete of a
model that sets ``__audited__ = True`` writes an AuditLog row through the same
connection, hence in the same transaction. Services name the actor with
``set_actor``; nothing here reads the request."""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, inspect, insert, select
from sqlalchemy.orm import Mapper, Session

from consortium.extensions import db

from .models import AuditLog

_ACTOR_KEY = "audit_actor"


def set_actor(actor) -> None:
    """Name who performs the changes flushed from now on in this session."""
    db.session.info[_ACTOR_KEY] = (actor.id, actor.email) if actor is not None else (None, "system")


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _columns(obj):
    excluded = getattr(obj, "__audit_exclude__", set())
    for attr in inspect(obj).mapper.column_attrs:
        if attr.key not in excluded:
            yield attr.key


def _label(obj) -> str:
    return str(getattr(obj, "audit_label", None) or obj)[:300]


def _row(session, action, obj, changes):
    actor_id, actor_label = session.info.get(_ACTOR_KEY, (None, "system"))
    ident = inspect(obj).identity or (getattr(obj, "id", None),)
    return {"actor_id": actor_id, "actor_label": actor_label or "", "action": action,
            "object_type": type(obj).__name__, "object_id": ",".join(str(i) for i in ident),
            "object_label": _label(obj), "changes": changes}


@event.listens_for(Mapper, "mapper_configured")
def _keep_old_values(mapper, class_):
    """Audited columns load their old value before a change, so 'before' is always known."""
    if getattr(class_, "__audited__", False):
        for prop in mapper.column_attrs:
            getattr(class_, prop.key).impl.active_history = True


@event.listens_for(Session, "after_flush")
def _write_audit(session, flush_context):
    rows = []
    for obj in session.new:
        if getattr(obj, "__audited__", False):
            rows.append(_row(session, "create", obj,
                             {k: [None, _plain(getattr(obj, k))] for k in _columns(obj)}))
    for obj in session.dirty:
        if not getattr(obj, "__audited__", False) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        changes = {}
        ignored = getattr(obj, "__audit_ignore__", ())
        for key in _columns(obj):
            if key in ignored:  # bookkeeping (a sign-in time): never a row of its own
                continue
            hist = state.attrs[key].history
            if hist.has_changes():
                before = hist.deleted[0] if hist.deleted else None
                after = hist.added[0] if hist.added else None
                if _plain(before) != _plain(after):
                    changes[key] = [_plain(before), _plain(after)]
        for key in getattr(obj, "__audit_exclude__", ()):
            if state.attrs[key].history.deleted:  # a secret changed: say so, never show it
                changes[key] = ["***", "***"]
        if changes:
            rows.append(_row(session, "update", obj, changes))
    for obj in session.deleted:
        if getattr(obj, "__audited__", False):
            state = inspect(obj)
            rows.append(_row(session, "delete", obj, {
                k: [_plain(state.attrs[k].loaded_value), None] for k in _columns(obj)}))
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def list_audit(object_type=None, action=None, actor_id=None, q=None, object_id=None, member_id=None,
               start=None, end=None):
    """Newest first; every filter optional. ``member_id``: changes made by that member's users;
    ``start``/``end``: naive UTC bounds of created_at (end excluded)."""
    stmt = select(AuditLog).order_by(AuditLog.id.desc())
    if member_id:  # through the relationship: audit sits below auth and members
        stmt = stmt.where(AuditLog.actor.has(member_id=member_id))
    if start is not None:
        stmt = stmt.where(AuditLog.created_at >= start)
    if end is not None:
        stmt = stmt.where(AuditLog.created_at < end)
    if object_type:
        stmt = stmt.where(AuditLog.object_type == object_type)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if actor_id:
        stmt = stmt.where(AuditLog.actor_id == actor_id)
    if object_id:
        stmt = stmt.where(AuditLog.object_id == str(object_id))
    if q:
        stmt = stmt.where(AuditLog.object_label.contains(q, autoescape=True))
    return stmt


def history_of(obj):
    """The audit rows of one object, newest first."""
    return db.session.scalars(list_audit(object_type=type(obj).__name__, object_id=obj.id)).all()


def object_types() -> list[str]:
    return list(db.session.scalars(select(AuditLog.object_type).distinct().order_by(AuditLog.object_type)))


def actors():
    """The users who appear in the log (for the filter)."""
    user = AuditLog.actor.property.mapper.class_  # the account model, without importing the auth domain
    return db.session.scalars(select(user).where(user.id.in_(select(AuditLog.actor_id).distinct()))
                              .order_by(user.email)).all()
