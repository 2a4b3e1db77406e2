"""The audit trail, designed once: every flushed insert, update or delete of a
model that sets ``__audited__ = True`` writes an AuditLog row through the same
connection, hence in the same transaction. Services name the actor with
``set_actor``; nothing here reads the request."""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Mapper, Session, object_session

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
    state = inspect(obj)  # a new row has no identity yet at flush time: read its key (composite too)
    ident = state.identity or tuple(state.mapper.primary_key_from_instance(obj))
    return {"actor_id": actor_id, "actor_label": actor_label or "", "action": action,
            "object_type": type(obj).__name__, "object_id": ",".join(str(i) for i in ident),
            "object_label": _label(obj), "changes": changes}


@event.listens_for(Mapper, "mapper_configured")
def _keep_old_values(mapper, class_):
    """Audited columns load their old value before a change, so 'before' is always known."""
    if getattr(class_, "__audited__", False):
        for prop in mapper.column_attrs:
            getattr(class_, prop.key).impl.active_history = True


_PENDING_KEY = "audit_pending"


def _pending(session) -> list:
    return session.info.setdefault(_PENDING_KEY, [])


def _session_of(target):
    return object_session(target)


def _update_changes(obj) -> dict:
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
    return changes


# Row-level mapper events fire for every row the flush writes, including rows a
# cascade deletes (delete-orphan: replaced agreement parties, scenario needs), which
# never appear in ``session.deleted``. The rows are collected and written in one
# INSERT after the flush, through the same connection (same transaction).

@event.listens_for(Mapper, "after_insert")
def _audit_insert(mapper, connection, obj):
    if getattr(obj, "__audited__", False):
        session = _session_of(obj)
        _pending(session).append(("create", obj, {k: [None, _plain(getattr(obj, k))] for k in _columns(obj)}))


@event.listens_for(Mapper, "after_update")
def _audit_update(mapper, connection, obj):
    if getattr(obj, "__audited__", False):
        changes = _update_changes(obj)
        if changes:
            _pending(_session_of(obj)).append(("update", obj, changes))


@event.listens_for(Mapper, "after_delete")
def _audit_delete(mapper, connection, obj):
    if getattr(obj, "__audited__", False):
        state = inspect(obj)
        _pending(_session_of(obj)).append(("delete", obj, {
            k: [_plain(state.attrs[k].loaded_value), None] for k in _columns(obj)}))


_LINKS: dict = {}


def link_relationships(mapper):
    """The many-to-many relationships of a mapper whose changes are audited as
    link/unlink rows of their association table (viewonly ones excluded)."""
    if mapper not in _LINKS:
        _LINKS[mapper] = [rel for rel in mapper.relationships if rel.secondary is not None and not rel.viewonly]
    return _LINKS[mapper]


def _link_rows(session) -> list[dict]:
    """Changes to association tables (scenario ↔ resource, agreement ↔ scenario):
    read from the collections' history, still pre-flush state in after_flush."""
    rows, seen = [], set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        state = inspect(obj)
        for rel in link_relationships(state.mapper):
            if rel.key not in state.attrs:
                continue
            hist = state.attrs[rel.key].history
            removed = list(hist.deleted)
            if obj in session.deleted:
                removed += list(hist.unchanged)
            for action, targets in (("link", hist.added), ("unlink", removed)):
                for target in targets:  # both sides of a backref report the same pair: once
                    key = (rel.secondary.name, action, frozenset((id(obj), id(target))))
                    if key in seen:
                        continue
                    seen.add(key)
                    left = inspect(obj).identity or (getattr(obj, "id", None),)
                    right = inspect(target).identity or (getattr(target, "id", None),)
                    columns = [c.name for c in rel.secondary.columns]
                    actor_id, actor_label = session.info.get(_ACTOR_KEY, (None, "system"))
                    rows.append({"actor_id": actor_id, "actor_label": actor_label or "", "action": action,
                                 "object_type": rel.secondary.name,
                                 "object_id": f"{left[0]},{right[0]}"[:60],
                                 "object_label": f"{_label(obj)} ↔ {_label(target)}"[:300],
                                 "changes": {columns[0]: left[0], columns[1]: right[0]} if len(columns) == 2
                                 else {"left": left[0], "right": right[0]}})
    return rows


@event.listens_for(Session, "after_flush")
def _write_audit(session, flush_context):
    pending = session.info.pop(_PENDING_KEY, [])
    rows = [_row(session, action, obj, changes) for action, obj, changes in pending]
    rows += _link_rows(session)
    if rows:
        session.connection().execute(insert(AuditLog), rows)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session):
    session.info.pop(_PENDING_KEY, None)


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
        stmt = stmt.where(AuditLog.object_label.icontains(q, autoescape=True))  # case does not matter, on SQLite and PostgreSQL alike
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
