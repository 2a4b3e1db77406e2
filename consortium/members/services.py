"""Member organisations: admission, edits, suspension, listing."""
import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.core.entity import clean_values
from consortium.audit.services import set_actor
from consortium.auth import permissions
from consortium.auth.services import end_all_sessions
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.locking import UNCHECKED, check_version
from consortium.core.signals import values_from
from consortium.extensions import db
from consortium.geo.models import City, Province

from . import signals
from .models import Member
from .schemas import MemberFields

def _require_secretariat(actor):
    if actor is not None and not permissions.can_administer_members(actor):
        raise PermissionDenied(_("Only the secretariat can do this."))
    set_actor(actor)


def _validate(member: Member, exclude_id=None):
    if not member.name or not member.name.strip():
        raise DomainError(_("A name is required."), field="name")
    if not member.kind:
        raise DomainError(_("Unknown member kind."), field="kind")
    if member.city is None and member.city_id is None:
        raise DomainError(_("Choose the member's city."), field="city")
    clash = db.session.scalar(select(Member.id).where(Member.name == member.name.strip(),
                                                      Member.id != (exclude_id or 0)))
    if clash:
        raise DomainError(_("A member with this name already exists."), field="name")
    for refusal in values_from(signals.name_refused, member.name.strip()):  # e.g. the counterparty register
        if refusal:
            raise DomainError(refusal, field="name")


MEMBER_CODE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")


def _valid_code(code) -> str:
    """The secretariat chooses the code that names the member in URLs and imports (e.g. yantai)."""
    code = (code or "").strip().lower()
    if not MEMBER_CODE.match(code):
        raise DomainError(_("Choose a code of 2–40 lower-case letters, digits or hyphens, starting with a "
                            "letter, e.g. yantai."), field="code")
    if db.session.scalar(select(Member.id).where(Member.code == code)):
        raise DomainError(_("Another member already uses this code."), field="code")
    return code


def _check_level(member: Member) -> None:
    if member.level == "province" and member.kind != "data_group":
        raise DomainError(_("Only a data group can be province-level."), field="level")


def admit_member(actor, *, city, code, **fields) -> Member:
    """Admit a member: ``fields`` are any of the definition's (schemas.MemberFields); the level
    is "city" and the day of joining today unless given."""
    _require_secretariat(actor)
    clean = clean_values(MemberFields, {"level": "city", **fields})
    clean["joined_on"] = clean.get("joined_on") or local_today()
    member = Member(**clean, city=city, status="active")
    _check_level(member)
    _validate(member)
    member.code = _valid_code(code)
    db.session.add(member)
    db.session.flush()
    return member


def update_member(actor, member: Member, expected_version=UNCHECKED, **fields) -> Member:
    """Change any of the definition's fields (schemas.MemberFields, checked by it) but the code,
    chosen once at admission, and the city (a reference city)."""
    _require_secretariat(actor)
    check_version(member, expected_version)
    old_city_id = member.city_id
    if "code" in fields:  # chosen once, at admission
        raise DomainError(_("This field cannot be changed."), field="code")
    city = fields.pop("city", None)
    for key, value in clean_values(MemberFields, fields).items():  # refuses any other field
        setattr(member, key, value)
    if city is not None:
        member.city = city
    _check_level(member)
    with db.session.no_autoflush:
        _validate(member, exclude_id=member.id)
    db.session.flush()
    if member.city_id != old_city_id:  # its entries follow it (the resource map listens)
        signals.member_moved.send(member, actor=actor, old_city_id=old_city_id)
    return member


def suspend_member(actor, member: Member, reason: str) -> None:
    """A suspended member's users can no longer sign in; their sessions end now. The
    reason is shown to them when they try to sign in."""
    _require_secretariat(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the suspension: the member's users will read it."),
                          field="reason")
    if not member.is_active:
        raise DomainError(_("This member is already suspended."))
    member.status = "suspended"
    member.suspension_reason = reason[:2000]
    for user in member.users:
        end_all_sessions(user)
    db.session.flush()
    signals.member_suspended.send(member, actor=actor)


def reinstate_member(actor, member: Member) -> None:
    _require_secretariat(actor)
    member.status = "active"
    member.suspension_reason = ""
    db.session.flush()
    signals.member_reinstated.send(member, actor=actor)


def list_members(actor, *, province: str | None = None, kind: str | None = None,
                 joined_from: date | None = None, joined_to: date | None = None,
                 q: str | None = None, include_suspended: bool = False):
    """The member directory query; suspended members only for the secretariat."""
    stmt = select(Member).join(Member.city).join(City.province)
    if not (include_suspended and permissions.is_secretariat(actor)):
        stmt = stmt.where(Member.status == "active")
    if province:
        stmt = stmt.where(Province.code == province)
    if kind:
        stmt = stmt.where(Member.kind == kind)
    if joined_from:
        stmt = stmt.where(Member.joined_on >= joined_from)
    if joined_to:
        stmt = stmt.where(Member.joined_on <= joined_to)
    if q:
        stmt = stmt.where(Member.name.contains(q, autoescape=True)
                          | Member.name_en.contains(q, autoescape=True))
    return stmt.order_by(Member.joined_on.desc(), Member.name)


def get_member(member_id) -> Member | None:
    """One member by id (None when there is none): a notification names it when it is read."""
    return db.session.get(Member, int(member_id)) if member_id else None


def get_member_by_code(code: str) -> Member | None:
    return db.session.scalar(select(Member).where(Member.code == code))


def member_stats() -> dict:
    """Public figures for the home page: active members and the cities they cover."""
    active = Member.status == "active"
    return {
        "members": db.session.scalar(select(func.count(Member.id)).where(active)),
        "cities": db.session.scalar(select(func.count(func.distinct(Member.city_id))).where(active)),
        "provinces": db.session.scalar(select(func.count(func.distinct(City.province_id)))
                                       .select_from(Member).join(Member.city).where(active)),
    }


def active_members(order: str = "name", kind: str | None = None) -> list[Member]:
    """Every active member, or those of one kind (the choices of a form: owners, parties,
    invitees), by name or code."""
    stmt = select(Member).where(Member.status == "active").order_by(Member.code if order == "code" else Member.name)
    if kind:
        stmt = stmt.where(Member.kind == kind)
    return db.session.scalars(stmt).all()


def recent_members(limit: int = 5):
    return db.session.scalars(select(Member).where(Member.status == "active")
                              .order_by(Member.joined_on.desc(), Member.id.desc()).limit(limit)).all()


def active_member_counts_by_city() -> dict[int, int]:
    """{city id: number of active members} — public figures for the city pages."""
    return dict(db.session.execute(select(Member.city_id, func.count(Member.id))
                                   .where(Member.status == "active").group_by(Member.city_id)).all())


def active_members_in_city(city) -> list[Member]:
    return db.session.scalars(select(Member).where(Member.city_id == city.id, Member.status == "active")
                              .order_by(Member.name)).all()
