"""The one pricing engine: exact Decimal arithmetic, never float. Three kinds of
schedule, each a plain dict (stored as JSON, strings for every number):

- revenue_share: {"tiers": [{"upto": "200000", "supplier": "50", "operator": "50"},
                            {"upto": null, "supplier": "60", "operator": "40"}]}
  income is cut into bands; each band is split between the data-supplying unit
  (供数单位) and the operator. 500,000 → supplier 280,000, operator 220,000.
- progressive: {"tiers": [{"upto": "1000000", "rate": "3"}, {"upto": null, "rate": "1"}]}
  a charge of ``rate`` per cent on the part of the base inside each band (累进阶梯).
- staged: {"stages": [{"name": "初创期", "from": "2025-01-01", "price": "0"}, ...]}
  a unit price by stage (初创期 → 培育期 → 成熟期), chosen by date or by name.

Malformed schedules (unordered or overlapping tiers, shares not adding up to 100,
an unbounded tier that is not the last) are refused with a clear message."""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from flask_babel import gettext as _

from consortium.core.amounts import parse_decimal
from consortium.core.clock import local_today
from consortium.core.exceptions import DomainError

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_AMOUNT = Decimal("1e18")   # 10^18 CNY: far beyond any real income, still exact
PRECISION = 60


def parse_amount(raw, *, field="amount", allow_negative=False) -> Decimal:
    """A CNY amount as people write it (300000, 300,000, 50万, 1.2亿, full-width digits, 元): at most
    two decimals."""
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not text:
            raise DomainError(_("Enter an amount."), field=field)
        try:
            value = parse_decimal(text)
        except ValueError:
            raise DomainError(_("%(value)s is not a number.", value=text[:40]), field=field) from None
    if not value.is_finite():
        raise DomainError(_("%(value)s is not a number.", value=str(raw)[:40]), field=field)
    if value < 0 and not allow_negative:
        raise DomainError(_("The amount cannot be negative."), field=field)
    if abs(value) >= MAX_AMOUNT:
        raise DomainError(_("The amount is too large (at most 18 digits before the decimal point)."), field=field)
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise DomainError(_("Use at most two decimal places."), field=field)
    return value.quantize(CENT)


def _number(raw, what, *, minimum=None, maximum=None) -> Decimal:
    try:
        value = parse_decimal(raw)
    except ValueError:
        raise DomainError(_("%(what)s must be a number: %(value)s", what=what, value=str(raw)[:40])) from None
    if not value.is_finite() or (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise DomainError(_("%(what)s is out of range: %(value)s", what=what, value=str(raw)[:40]))
    return value


def _check_bounds(tiers):
    if not tiers:
        raise DomainError(_("A schedule needs at least one tier."))
    previous = Decimal(0)
    for i, tier in enumerate(tiers):
        upto = tier.get("upto")
        if upto in (None, ""):
            if i != len(tiers) - 1:
                raise DomainError(_("Only the last tier may be open-ended."))
            continue
        bound = _number(upto, _("Upper bound"), minimum=Decimal(0))
        if bound >= MAX_AMOUNT:
            raise DomainError(_("Upper bound is too large."))
        if bound <= previous:
            raise DomainError(_("Tiers must be in ascending order without overlap: %(a)s does not follow %(b)s.",
                                a=_fmt(bound), b=_fmt(previous)))
        previous = bound
    if tiers[-1].get("upto") not in (None, ""):
        raise DomainError(_("The last tier must be open-ended (no upper bound)."))


def validate_schedule(kind: str, schedule) -> dict:
    """The schedule normalised (strings for numbers), or DomainError."""
    if not isinstance(schedule, dict):
        raise DomainError(_("The schedule is malformed."))
    if kind == "revenue_share":
        tiers = schedule.get("tiers")
        if not isinstance(tiers, list) or not all(isinstance(t, dict) for t in tiers):
            raise DomainError(_("The schedule is malformed."))
        _check_bounds(tiers)
        out = []
        for t in tiers:
            supplier = _number(t.get("supplier"), _("Supplier share"), minimum=Decimal(0), maximum=HUNDRED)
            given = t.get("operator")  # left out: the rest of 100
            operator = _number(HUNDRED - supplier if given in (None, "") else given, _("Operator share"),
                               minimum=Decimal(0), maximum=HUNDRED)
            if supplier + operator != HUNDRED:
                raise DomainError(_("Supplier and operator shares must add up to 100 in every tier."))
            out.append({"upto": None if t.get("upto") in (None, "") else str(parse_decimal(t["upto"])),
                        "supplier": str(supplier), "operator": str(operator)})
        return {"tiers": out}
    if kind == "progressive":
        tiers = schedule.get("tiers")
        if not isinstance(tiers, list) or not all(isinstance(t, dict) for t in tiers):
            raise DomainError(_("The schedule is malformed."))
        _check_bounds(tiers)
        return {"tiers": [{"upto": None if t.get("upto") in (None, "") else str(parse_decimal(t["upto"])),
                           "rate": str(_number(t.get("rate"), _("Rate"), minimum=Decimal(0), maximum=HUNDRED))}
                          for t in tiers]}
    if kind == "staged":
        stages = schedule.get("stages")
        if not isinstance(stages, list) or not stages or not all(isinstance(s, dict) for s in stages):
            raise DomainError(_("A staged schedule needs at least one stage."))
        out, previous, names = [], None, set()
        for s in stages:
            name = str(s.get("name") or "").strip()
            if not name or name in names:
                raise DomainError(_("Every stage needs its own name."))
            names.add(name)
            try:
                start = date.fromisoformat(str(s.get("from")))
            except ValueError:
                raise DomainError(_("Stage %(name)s needs a start date (YYYY-MM-DD).", name=name)) from None
            if previous is not None and start <= previous:
                raise DomainError(_("Stages must start in order: %(name)s starts too early.", name=name))
            previous = start
            price = _number(s.get("price"), _("Unit price"), minimum=Decimal(0))
            out.append({"name": name, "from": start.isoformat(), "price": str(price),
                        "note": str(s.get("note") or "")})
        return {"stages": out}
    raise DomainError(_("Unknown kind of model."))


@dataclass
class Band:
    lower: Decimal
    upper: Decimal | None
    portion: Decimal
    values: dict = field(default_factory=dict)   # supplier/operator, or rate/charge


@dataclass
class Result:
    kind: str
    amount: Decimal
    bands: list
    totals: dict
    stage: dict | None = None

    def as_json(self) -> dict:
        return {"kind": self.kind, "amount": str(self.amount),
                "breakdown": [{"from": str(b.lower), "to": None if b.upper is None else str(b.upper),
                               "portion": str(b.portion), **{k: str(v) for k, v in b.values.items()}}
                              for b in self.bands],
                "totals": {k: str(v) for k, v in self.totals.items()},
                **({"stage": self.stage} if self.stage else {})}


def _bands(tiers, amount):
    lower = Decimal(0)
    for t in tiers:
        upper = None if t["upto"] is None else Decimal(t["upto"])
        if amount <= lower and lower > 0:
            break
        top = amount if upper is None else min(amount, upper)
        yield t, lower, upper, max(top - lower, Decimal(0))
        if upper is None or amount <= upper:
            break
        lower = upper


def calculate(kind: str, schedule: dict, amount, *, on: date | None = None, stage: str | None = None) -> Result:
    schedule = validate_schedule(kind, schedule)
    amount = parse_amount(amount)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if kind == "revenue_share":
            bands, supplier_total, operator_total = [], Decimal(0), Decimal(0)
            for t, lower, upper, portion in _bands(schedule["tiers"], amount):
                supplier = (portion * Decimal(t["supplier"]) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
                operator = portion - supplier
                supplier_total += supplier
                operator_total += operator
                bands.append(Band(lower, upper, portion, {"supplier_share": Decimal(t["supplier"]),
                                                          "operator_share": Decimal(t["operator"]),
                                                          "supplier": supplier, "operator": operator}))
            return Result(kind, amount, bands, {"supplier": supplier_total, "operator": operator_total})
        if kind == "progressive":
            bands, total = [], Decimal(0)
            for t, lower, upper, portion in _bands(schedule["tiers"], amount):
                charge = (portion * Decimal(t["rate"]) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
                total += charge
                bands.append(Band(lower, upper, portion, {"rate": Decimal(t["rate"]), "charge": charge}))
            return Result(kind, amount, bands, {"charge": total})
        # staged: the stage named, or the one in force on the date (today by default)
        stages = schedule["stages"]
        if stage:
            chosen = next((s for s in stages if s["name"] == stage), None)
            if chosen is None:
                raise DomainError(_("No stage named %(name)s.", name=stage), field="stage")
        else:
            day = on or local_today()
            started = [s for s in stages if date.fromisoformat(s["from"]) <= day]
            if not started:
                raise DomainError(_("No stage is in force on %(day)s.", day=day.isoformat()), field="on")
            chosen = started[-1]
        charge = (amount * Decimal(chosen["price"])).quantize(CENT, rounding=ROUND_HALF_UP)
        band = Band(Decimal(0), None, amount, {"price": Decimal(chosen["price"]), "charge": charge})
        return Result(kind, amount, [band], {"charge": charge}, stage=chosen)


# ---- the schedule as table rows, for the register's form: one tier or stage per row

# per kind, the columns of its rows (inputs <prefix>N-<column>, ``core.rows``)
ROW_COLUMNS = {"revenue_share": ("upto", "supplier", "operator"), "progressive": ("upto", "rate"),
               "staged": ("name", "from", "price", "note")}
ROW_PREFIX = {"revenue_share": "share-", "progressive": "rate-", "staged": "stage-"}


def schedule_from_rows(kind: str, rows: list[dict] | None) -> dict:
    """The schedule the form's rows of ``kind`` give (each a dict of ``ROW_COLUMNS[kind]``; an
    empty upper bound is no cap), checked by ``validate_schedule``. Amounts and rates may be
    written as people write them (50万, 1.2亿, full-width digits, separators)."""
    if kind not in ROW_COLUMNS:
        raise DomainError(_("Unknown kind of model."), field="kind")
    if not rows:
        raise DomainError(_("A schedule needs at least one tier."), field="schedule")
    if kind == "staged":
        schedule = {"stages": [{"name": r.get("name", ""), "from": r.get("from", ""), "price": r.get("price", ""),
                                "note": r.get("note", "")} for r in rows]}
    else:
        schedule = {"tiers": [{c: (r.get(c) or None) if c == "upto" else r.get(c, "") for c in ROW_COLUMNS[kind]}
                              for r in rows]}
    try:
        return validate_schedule(kind, schedule)
    except DomainError as error:
        raise DomainError(error.message, field="schedule") from None


def schedule_rows(kind: str, schedule: dict | None) -> list[dict]:
    """A stored schedule as the form's rows of its kind (an open-ended tier: an empty bound)."""
    if not schedule or kind not in ROW_COLUMNS:
        return []
    if kind == "staged":
        return [{"name": s["name"], "from": s["from"], "price": s["price"], "note": s.get("note", "")}
                for s in schedule.get("stages", [])]
    return [{c: ("" if t.get(c) is None else t[c]) for c in ROW_COLUMNS[kind]} for t in schedule.get("tiers", [])]


# ---- the schedule as text (a negotiation's tiered term, its history): one tier or stage per line

def schedule_from_text(kind: str, text: str) -> dict:
    """revenue_share: ``200000 50 50`` / ``* 60 40``; progressive: ``1000000 3`` / ``* 1``;
    staged: ``初创期 2025-01-01 0 [note]``. Bounds may use commas; ``*`` or ``以上`` = no bound."""
    rows = [line.replace("，", ",").replace("％", "").replace("%", "").split()
            for line in (text or "").splitlines() if line.strip()]
    if not rows:
        raise DomainError(_("A schedule needs at least one tier."), field="schedule")
    try:
        if kind == "staged":
            schedule = {"stages": [{"name": r[0], "from": r[1], "price": r[2], "note": " ".join(r[3:])}
                                   for r in rows]}
        else:
            tiers = []
            for r in rows:
                upto = None if r[0] in ("*", "以上", "-", "∞") else r[0].replace(",", "")
                tiers.append({"upto": upto, "supplier": r[1], "operator": r[2]} if kind == "revenue_share"
                             else {"upto": upto, "rate": r[1]})
            schedule = {"tiers": tiers}
    except IndexError:
        raise DomainError(_("Every line needs all its values (see the example)."), field="schedule") from None
    try:
        return validate_schedule(kind, schedule)
    except DomainError as error:
        raise DomainError(error.message, field="schedule") from None


def schedule_to_text(kind: str, schedule: dict) -> str:
    if kind == "staged":
        return "\n".join(f"{s['name']} {s['from']} {s['price']} {s.get('note', '')}".rstrip()
                         for s in schedule.get("stages", []))
    lines = []
    for t in schedule.get("tiers", []):
        bound = t["upto"] if t["upto"] is not None else "*"
        lines.append(f"{bound} {t['supplier']} {t['operator']}" if kind == "revenue_share" else f"{bound} {t['rate']}")
    return "\n".join(lines)


def _fmt(value: Decimal) -> str:
    value = Decimal(value)
    return f"{value:,.2f}" if value != value.to_integral() else f"{value:,.0f}"


def format_amount(value) -> str:
    return _fmt(Decimal(value))


def describe(kind: str, schedule: dict) -> str:
    """One readable line (translated) for a schedule."""
    parts = []
    if kind == "staged":
        for s in schedule.get("stages", []):
            parts.append(_("%(name)s from %(day)s: %(price)s CNY per unit", name=s["name"], day=s["from"],
                           price=_fmt(Decimal(s["price"]))))
        return "; ".join(parts)
    lower = Decimal(0)
    for t in schedule.get("tiers", []):
        if t["upto"] is None:
            band = _("above %(a)s CNY", a=_fmt(lower)) if lower else _("any amount")
        else:
            band = _("%(a)s–%(b)s CNY", a=_fmt(lower), b=_fmt(Decimal(t["upto"])))
            lower = Decimal(t["upto"])
        if kind == "revenue_share":
            parts.append(_("%(band)s: supplier %(s)s%%, operator %(o)s%%", band=band, s=_fmt(Decimal(t["supplier"])),
                           o=_fmt(Decimal(t["operator"]))))
        else:
            parts.append(_("%(band)s: %(r)s%%", band=band, r=_fmt(Decimal(t["rate"]))))
    return "; ".join(parts)
