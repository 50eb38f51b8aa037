import pytest

from analysis.core.parsing import parse_amount


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("$61,168", 61168.0, None),
        ("61,168.00", 61168.0, None),
        ("$61k", 61000.0, None),
        ("$59K", 59000.0, None),
        ("23.45/hr", 23.45, "USD/hour"),
        ("$23.45 / hour", 23.45, "USD/hour"),
        ("48780", 48780.0, None),
        ("$1,234,567", 1234567.0, None),
        ("-48780", -48780.0, None),
        (51889, 51889.0, None),
    ],
)
def test_published_spellings_parse(text, value, unit):
    assert parse_amount(text) == (value, unit)


@pytest.mark.parametrize(
    "text", ["fifty thousand", "", "61,16", "$", "12.3.4", "61168 USD", "1,2345", None, float("nan")]
)
def test_anything_else_is_rejected_with_the_expected_forms(text):
    with pytest.raises(ValueError, match=r"expected an amount like '\$61,168', '61,168.00', '\$61k' or '23.45/hr'"):
        parse_amount(text)
