"""The one pricing engine: exact Decimal results at every tier boundary, for 0, for
negative and huge amounts, and malformed schedules refused."""
from datetime import date
from decimal import Decimal

import pytest

from consortium.core.exceptions import DomainError
from consortium.negotiations import pricing

RULE = {"tiers": [{"upto": "200000", "supplier": "50", "operator": "50"},
                  {"upto": None, "supplier": "60", "operator": "40"}]}
FUJIAN = {"tiers": [{"upto": "1000000", "rate": "5"}, {"upto": "5000000", "rate": "3"}, {"upto": None, "rate": "1"}]}
QINGDAO = {"stages": [{"name": "初创期", "from": "2025-01-01", "price": "0"},
                      {"name": "培育期", "from": "2026-01-01", "price": "0.50"},
                      {"name": "成熟期", "from": "2027-07-01", "price": "1.20", "note": "政府指导价"}]}


def split(amount):
    r = pricing.calculate("revenue_share", RULE, amount)
    return r.totals["supplier"], r.totals["operator"]


def test_the_sources_example_500000_gives_280000_and_220000():
    r = pricing.calculate("revenue_share", RULE, "500000")
    assert r.totals == {"supplier": Decimal("280000.00"), "operator": Decimal("220000.00")}
    assert [(b.portion, b.values["supplier"], b.values["operator"]) for b in r.bands] == [
        (Decimal("200000"), Decimal("100000.00"), Decimal("100000")),
        (Decimal("300000.00"), Decimal("180000.00"), Decimal("120000.00"))]
    assert all(isinstance(v, Decimal) for v in r.totals.values())


@pytest.mark.parametrize("amount,supplier,operator", [
    ("0", "0", "0"),
    ("0.01", "0.01", "0.00"),           # half a cent rounds half up to the supplier, the rest to the operator
    ("199999.99", "100000.00", "99999.99"),
    ("200000", "100000", "100000"),      # exactly on the boundary: all in the first tier
    ("200000.01", "100000.01", "100000.00"),
    ("200001", "100000.60", "100000.40"),
    ("1000000", "580000", "420000"),
])
def test_revenue_share_at_and_around_the_boundary(amount, supplier, operator):
    s, o = split(amount)
    assert (s, o) == (Decimal(supplier), Decimal(operator))
    assert s + o == Decimal(amount)   # nothing lost or created by rounding


def test_huge_amounts_stay_exact():
    s, o = split("999999999999999999.99")
    # 100,000 + 60 % of 999,999,999,999,799,999.99 = …979,999.994, rounded to the cent
    assert s == Decimal("599999999999979999.99")
    assert s + o == Decimal("999999999999999999.99")
    with pytest.raises(DomainError, match="18"):
        split("1000000000000000000")


@pytest.mark.parametrize("bad", ["-1", "-0.01", "abc", "", "1e400", "NaN", "Infinity", "1.001"])
def test_bad_amounts_are_refused(bad):
    with pytest.raises(DomainError):
        split(bad)


def test_progressive_tiers_at_every_boundary():
    def charge(x):
        return pricing.calculate("progressive", FUJIAN, x).totals["charge"]
    assert charge("0") == 0
    assert charge("1000000") == Decimal("50000")
    assert charge("1000001") == Decimal("50000.03")
    assert charge("5000000") == Decimal("50000") + Decimal("120000")
    assert charge("6000000") == Decimal("170000") + Decimal("10000")
    bands = pricing.calculate("progressive", FUJIAN, "6000000").bands
    assert [b.portion for b in bands] == [Decimal("1000000"), Decimal("4000000"), Decimal("1000000.00")]


def test_staged_pricing_by_date_and_by_stage():
    def at(day, units="1000"):
        return pricing.calculate("staged", QINGDAO, units, on=day)
    assert at(date(2025, 6, 1)).totals["charge"] == 0 and at(date(2025, 6, 1)).stage["name"] == "初创期"
    assert at(date(2026, 1, 1)).totals["charge"] == Decimal("500.00")       # first day of 培育期
    assert at(date(2027, 6, 30)).stage["name"] == "培育期"
    assert at(date(2027, 7, 1)).totals["charge"] == Decimal("1200.00")
    assert pricing.calculate("staged", QINGDAO, "10", stage="成熟期").totals["charge"] == Decimal("12.00")
    with pytest.raises(DomainError):
        at(date(2024, 12, 31))
    with pytest.raises(DomainError):
        pricing.calculate("staged", QINGDAO, "10", stage="没有的阶段")


@pytest.mark.parametrize("kind,schedule,message", [
    ("revenue_share", {"tiers": []}, "至少"),
    ("revenue_share", {"tiers": [{"upto": "300000", "supplier": "50", "operator": "50"},
                                 {"upto": "200000", "supplier": "60", "operator": "40"},
                                 {"upto": None, "supplier": "60", "operator": "40"}]}, "升序"),
    ("revenue_share", {"tiers": [{"upto": "200000", "supplier": "50", "operator": "50"},
                                 {"upto": "200000", "supplier": "60", "operator": "40"},
                                 {"upto": None, "supplier": "60", "operator": "40"}]}, "升序"),
    ("revenue_share", {"tiers": [{"upto": None, "supplier": "50", "operator": "50"},
                                 {"upto": "200000", "supplier": "60", "operator": "40"}]}, "最后"),
    ("revenue_share", {"tiers": [{"upto": "200000", "supplier": "50", "operator": "50"}]}, "最后"),
    ("revenue_share", {"tiers": [{"upto": None, "supplier": "70", "operator": "40"}]}, "100"),
    ("revenue_share", {"tiers": [{"upto": "-5", "supplier": "50", "operator": "50"},
                                 {"upto": None, "supplier": "50", "operator": "50"}]}, "超出范围"),
    ("progressive", {"tiers": [{"upto": None, "rate": "120"}]}, "超出范围"),
    ("staged", {"stages": [{"name": "培育期", "from": "2026-01-01", "price": "1"},
                           {"name": "初创期", "from": "2025-01-01", "price": "0"}]}, "顺序"),
    ("staged", {"stages": "x"}, "至少"),
])
def test_malformed_schedules_are_refused(app, kind, schedule, message):
    from flask_babel import force_locale
    with app.test_request_context(), force_locale("zh_CN"):
        with pytest.raises(DomainError, match=message):
            pricing.validate_schedule(kind, schedule)


def test_schedule_text_round_trip():
    schedule = pricing.schedule_from_text("revenue_share", "200,000 50 50\n* 60 40\n")
    assert schedule == pricing.validate_schedule("revenue_share", RULE)
    assert pricing.schedule_from_text("revenue_share", pricing.schedule_to_text("revenue_share", schedule)) == schedule
    staged = pricing.validate_schedule("staged", QINGDAO)
    assert pricing.schedule_from_text("staged", pricing.schedule_to_text("staged", staged)) == staged
    with pytest.raises(DomainError):
        pricing.schedule_from_text("revenue_share", "200000 50\n* 60 40")
