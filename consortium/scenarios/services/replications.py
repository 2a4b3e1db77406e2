"""Replications: a city replicating a scenario, moved stage by stage through dated events.
What people write about a replication (owner, next step, blockers) and its limits are the
definition's (``schemas.ReplicationFields``)."""
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.clock import local_today
from consortium.core.collation import sort_by_pinyin
from consortium.core.entity import clean_values
from consortium.core.exceptions import DomainError
from consortium.core.naming import named
from consortium.core.locking import UNCHECKED, check_version
from consortium.extensions import db
from consortium.members.models import Member
from consortium.notifications.services import refs

from .. import permissions
from ..constants import STAGE_LINE, STAGES, label, stage_rank
from ..models import Replication, ReplicationEvent
from ..queries import promotable_scenarios as promotable_scenarios  # re-exported: views read them here
from ..queries import stage_counts as stage_counts
from ..schemas import OPENING_EXCLUDES, EventFields, ReplicationFields
from ..signals import stage_changing
from .common import _flush, _label_of, _require, _text, list_active_members, notify_leads


def get_replication(replication_id: int) -> Replication | None:
    return db.session.get(Replication, replication_id)


def replication_of(scenario, member) -> Replication | None:
    return db.session.scalar(select(Replication).where(Replication.scenario_id == scenario.id,
                                                       Replication.member_id == member.id))


def list_replications(scenario):
    return db.session.scalars(select(Replication).where(Replication.scenario_id == scenario.id)
                              .join(Replication.member).order_by(Member.name)).all()


def list_events(replication):
    return db.session.scalars(select(ReplicationEvent).where(ReplicationEvent.replication_id == replication.id)
                              .order_by(ReplicationEvent.occurred_on, ReplicationEvent.id)).all()


def _event_date(occurred_on, replication=None) -> date:
    occurred_on = occurred_on or local_today()
    if occurred_on > local_today():
        raise DomainError(_("An event cannot be dated in the future."), field="occurred_on")
    if replication is not None and replication.last_event_on and occurred_on < replication.last_event_on:
        raise DomainError(_("An event cannot be dated before the previous one (%(d)s).",
                            d=replication.last_event_on.isoformat()), field="occurred_on")
    return occurred_on


def _written(fields: dict, exclude=()) -> dict:
    """The definition's fields given (None: not given), checked by its rules."""
    clean = clean_values(ReplicationFields, {k: v for k, v in fields.items() if v is not None})
    for name in exclude:
        if name in clean:
            raise DomainError(_("This field cannot be changed."), field=name)
    return clean


def members_to_bring(scenario, *, cities_only: bool = True) -> list[Member]:
    """Whom a lead may bring a scenario to ("将此场景引入城市"): active members with no replication of
    it (any stage: one replication per member and scenario), sorted by the pinyin of their names —
    only city data groups unless ``cities_only`` is False (the "show all members" choice)."""
    running = set(db.session.scalars(select(Replication.member_id).where(Replication.scenario_id == scenario.id)))
    members = [m for m in list_active_members("data_group" if cities_only else None) if m.id not in running]
    return sort_by_pinyin(members, key=lambda m: m.name)


def start_replication(actor, scenario, member, *, note="", occurred_on=None, is_illustrative=False,
                      **fields) -> Replication:
    """Open a replication at the interest stage, with its first event. ``fields``: the
    definition's, but blockers (written later, on its page)."""
    _require(actor is None or permissions.can_start_replication(actor, scenario, member),
             _l("You may only declare interest for your own organisation."))
    if not member.is_active:
        raise DomainError(_("This member is not active."), field="member")
    if replication_of(scenario, member) is not None:
        raise DomainError(_("%(member)s already replicates this scenario.", member=named(member)), field="member")
    clean = _written(fields, exclude=OPENING_EXCLUDES)
    set_actor(actor)
    when = _event_date(occurred_on)
    rep = Replication(scenario=scenario, member=member, stage="interest", **{"owner": "", "next_step": "",
                      "blockers": "", **clean}, last_event_on=when, is_illustrative=is_illustrative)
    db.session.add(rep)
    db.session.add(ReplicationEvent(replication=rep, from_stage=None, to_stage="interest", occurred_on=when,
                                    note=_text(note), author_id=getattr(actor, "id", None),
                                    author_label=_label_of(actor)))
    db.session.flush()
    return rep


def last_line_stage(replication) -> str:
    """The stage on the main line the replication last stood at (for stalled/withdrawn ones)."""
    if replication.stage in STAGE_LINE:
        return replication.stage
    stage = db.session.scalar(select(ReplicationEvent.to_stage).where(
        ReplicationEvent.replication_id == replication.id, ReplicationEvent.to_stage.in_(STAGE_LINE))
        .order_by(ReplicationEvent.occurred_on.desc(), ReplicationEvent.id.desc()).limit(1))
    return stage or "interest"


def is_backwards(replication, to_stage: str) -> bool:
    target = stage_rank(to_stage)
    return target is not None and target < stage_rank(last_line_stage(replication))


def change_stage(actor, replication, to_stage, *, expected_version=UNCHECKED, occurred_on=None,
                 **fields) -> ReplicationEvent:
    """Move a replication to another stage: a new dated event, never an overwrite. ``fields`` are
    the event's other defined fields (``schemas.EventFields``: the note, the reason …), each kept
    on the event; the date defaults to today. Going back along the line (or resuming lower than
    where it stalled) needs a reason."""
    _require(actor is None or permissions.can_write_replication(actor, replication))
    check_version(replication, expected_version)
    words = clean_values(EventFields, {"note": "", "reason": "", **fields, "to_stage": to_stage})
    to_stage, note, reason = words["to_stage"], words["note"], words["reason"]
    if to_stage == replication.stage:
        raise DomainError(_("The replication is already at this stage."), field="to_stage")
    if is_backwards(replication, to_stage) and not reason:
        raise DomainError(_("Moving back from %(a)s to %(b)s needs a reason.",
                            a=label(STAGES, last_line_stage(replication)), b=label(STAGES, to_stage)), field="reason")
    when = _event_date(occurred_on, replication)
    stage_changing.send(replication, to_stage=to_stage)   # a domain above may refuse (the authorisation step)
    set_actor(actor)
    from_stage = replication.stage
    event = ReplicationEvent(replication=replication, from_stage=from_stage, **words, occurred_on=when,
                             author_id=getattr(actor, "id", None), author_label=_label_of(actor))
    db.session.add(event)
    replication.stage = to_stage
    replication.last_event_on = when
    _flush()
    notify_leads(actor, replication.scenario.group, "scenarios.stage_changed", target_type="replication",
                 target_id=replication.id, payload={**refs(scenario=replication.scenario, city=replication.member.city),
                                                    "from": from_stage, "to": to_stage},
                 text=reason or note)
    return event


def withdraw_replication(actor, replication, reason="", *, expected_version=UNCHECKED, occurred_on=None, **fields):
    """退出: the city stops replicating the scenario, a stage change to "withdrawn" (``fields``:
    the event's other defined fields); the reason is required and kept in the history."""
    if not _text(reason):
        raise DomainError(_("Give a reason for withdrawing."), field="reason")
    if replication.stage == "withdrawn":
        raise DomainError(_("This replication is already withdrawn."))
    return change_stage(actor, replication, "withdrawn", expected_version=expected_version, reason=reason,
                        occurred_on=occurred_on, **fields)


def add_progress_note(actor, replication, note, *, expected_version=UNCHECKED, occurred_on=None) -> ReplicationEvent:
    """A dated note without a stage change (keeps the replication from looking stalled)."""
    _require(permissions.can_write_replication(actor, replication))
    check_version(replication, expected_version)
    note = clean_values(EventFields, {"note": note})["note"]  # the event's limit
    if not note:
        raise DomainError(_("Write a note."), field="note")
    when = _event_date(occurred_on, replication)
    set_actor(actor)
    event = ReplicationEvent(replication=replication, from_stage=replication.stage, to_stage=replication.stage,
                             occurred_on=when, note=note, author_id=actor.id, author_label=_label_of(actor))
    db.session.add(event)
    replication.last_event_on = when
    _flush()
    return event


def update_replication(actor, replication, *, expected_version=UNCHECKED, **fields) -> Replication:
    """The definition's fields (owner, next step, blockers; None: unchanged); the stage only
    changes through change_stage."""
    _require(permissions.can_write_replication(actor, replication))
    check_version(replication, expected_version)
    clean = _written(fields)
    set_actor(actor)
    for key, value in clean.items():
        setattr(replication, key, value)
    _flush()
    return replication


