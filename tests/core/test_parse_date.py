"""The one date parser of the kernel, used by forms, the API, the importers and the CLI."""
from datetime import date, datetime

import pytest

from consortium.core.exceptions import DomainError
from consortium.core.validation import parse_date


def test_dates_datetimes_and_iso_text_are_read(app):
    with app.test_request_context():
        assert parse_date(date(2025, 3, 1), "on") == date(2025, 3, 1)
        assert parse_date(datetime(2025, 3, 1, 23, 59), "on") == date(2025, 3, 1)
        assert parse_date(" 2025-03-01 ", "on") == date(2025, 3, 1)
        assert parse_date("", "on") is None and parse_date(None, "on") is None


@pytest.mark.parametrize("bad", ["2025-13-01", "2025年3月1日", "明天", "1/3/2025", "20250301", "2025-W09-6", 20250301, ["2025-03-01"]])
def test_other_text_is_refused_naming_the_field(app, bad):
    with app.test_request_context(), pytest.raises(DomainError) as err:
        parse_date(bad, "issued_on")
    assert err.value.field == "issued_on"
    assert "YYYY-MM-DD" in err.value.message


def test_a_required_date_must_be_given(app):
    with app.test_request_context(), pytest.raises(DomainError) as err:
        parse_date("  ", "valid_until", required=True)
    assert err.value.field == "valid_until"


def test_a_query_parameter_date_is_read_or_refused_naming_the_parameter(app):
    from consortium.core.requests import date_param
    with app.test_request_context("/?on=2025-03-01&bad=2025-02-30&empty="):
        assert date_param("on") == date(2025, 3, 1)
        assert date_param("empty") is None and date_param("absent") is None
        with pytest.raises(DomainError) as err:
            date_param("bad")
        assert err.value.field == "bad" and "bad" in err.value.message
        with pytest.raises(DomainError) as err:
            date_param("absent", required=True)
        assert err.value.field == "absent"
