"""Amounts as people write them in Chinese documents."""
from decimal import Decimal

import pytest

from consortium.core.amounts import parse_decimal


@pytest.mark.parametrize("written,value", [
    ("50万", "500000"), ("1.2亿", "120000000"), ("1.23万", "12300"), ("五十万", "500000"),
    ("一亿二千万", "120000000"), ("３０００", "3000"), ("300,000", "300000"), ("300，000", "300000"),
    ("300000元", "300000"), ("¥1,234.50", "1234.50"), ("CNY 88", "88"), ("-2万", "-20000"), ("0.5", "0.5"),
])
def test_written_amounts(written, value):
    assert parse_decimal(written) == Decimal(value)


@pytest.mark.parametrize("bad", ["", "abc", "万", "50万元整啊", "1.2.3万", "医保"])
def test_not_numbers(bad):
    with pytest.raises(ValueError):
        parse_decimal(bad)
