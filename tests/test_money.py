"""Salaries read naturally in the site's language and sort highest first, unsalaried last."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from site_gen import money
from site_gen.money import format_annual, format_salary, site_locale, sort_by_salary
from geo_helpers import posting, salary


@pytest.mark.parametrize("pay, language, text", [
    (salary(51850, 171450, "USD", "year"), "en", "USD 51,850 \u2013 171,450 a year"),
    (salary(60000, 80000, "EUR", "year"), "en", "EUR 60,000 \u2013 80,000 a year"),
    (salary(60000, 80000, "EUR", "year"), "de", "60.000 \u2013 80.000 EUR a year"),
    (salary(50, 50, "USD", "hour"), "en", "USD 50 an hour"),
    (salary(52.5, None, "GBP", "hour"), "en", "from GBP 52.50 an hour"),
    (salary(None, 4000, "CHF", "month"), "en", "up to CHF 4,000 a month"),
    (salary(500, 700, "EUR", "day"), "fr", "500 \u2013 700 EUR a day"),
    (salary(1000, 1500, "SEK", "week"), "en", "SEK 1,000 \u2013 1,500 a week"),
    (salary(8000000, 9500000, "INR", "year"), "en-IN", "INR 80,00,000 \u2013 95,00,000 a year"),
])
def test_format_salary(pay, language, text):
    assert format_salary(pay, language) == text


def test_annual_equivalent_for_short_periods_only():
    assert format_annual(salary(50, 60, "USD", "hour")) == "about USD 104,000 \u2013 124,800 a year"
    assert format_annual(salary(None, 5000, "EUR", "month")) == "up to about EUR 60,000 a year"
    assert format_annual(salary(60000, 80000)) == ""


def test_unknown_language_falls_back_to_english():
    assert str(site_locale("xx-nope")) == "en"
    assert str(site_locale("pt-BR")) == "pt_BR"


def test_sort_by_annual_pay_across_periods_missing_last_never_hidden():
    jobs = [
        posting("none-new", date=dt.date(2024, 5, 3)),
        posting("hourly", salary=salary(60, 70, "USD", "hour")),        # 124,800 a year
        posting("yearly", salary=salary(100000, 120000, "USD", "year")),
        posting("monthly", salary=salary(9000, None, "EUR", "month")),  # 108,000 a year
        posting("none-old", date=dt.date(2024, 4, 1)),
        posting("upto", salary=salary(None, 50000, "USD", "year")),
    ]
    order = [p.slug for p in sort_by_salary(jobs)]
    assert order == ["hourly", "monthly", "yearly", "upto", "none-new", "none-old"]


def test_sort_with_exchange_rates_converts_and_unknown_currencies_go_last():
    jobs = [posting("inr", salary=salary(9000000, None, "INR")), posting("usd", salary=salary(120000, None, "USD")),
            posting("xyz", salary=salary(1, None, "XYZ"))]
    assert [p.slug for p in sort_by_salary(jobs)] == ["inr", "usd", "xyz"]
    rates = {"USD": 1.0, "INR": 0.012}
    assert [p.slug for p in sort_by_salary(jobs, rates)] == ["usd", "inr", "xyz"]



@given(st.lists(st.one_of(st.integers(0, 10**9), st.floats(0, 1e7, allow_nan=False)), min_size=1, max_size=20),
       st.sampled_from(["en", "de", "fr", "hi", "pt-BR", "ar", "ja", "en-IN"]))
def test_remembered_amounts_read_as_freshly_written_ones(values, language):
    """Amounts are written once per locale and reused: a remembered one reads as one written afresh."""
    locale = money.site_locale(language)
    for value in values:
        remembered = money._number(value, locale)  # written now or earlier
        fresh = money._WRITTEN.pop((value, locale))
        assert remembered == fresh == money._number(value, locale)
    assert money._number(2.5, locale) != money._number(2, locale)


@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(1, 5)), st.integers(1, 28)), min_size=0, max_size=12),
       st.booleans())
def test_a_listing_has_a_salary_order_exactly_when_sorting_changes_it(rows, with_rates):
    """The variant exists when the sorted order differs, and reads as the sorted order, however it is sliced."""
    from site_gen.geo_site import salary_order

    jobs = tuple(posting(f"p{i}", date=dt.date(2025, 3, day),
                         salary=salary(pay * 10000, None, "USD" if i % 2 else "EUR") if pay else None)
                 for i, (pay, day) in enumerate(rows))
    rates = {"USD": 1.0, "EUR": 1.1} if with_rates else None
    order = salary_order(jobs, rates, {})
    expected = tuple(sort_by_salary(jobs, rates))
    if len(jobs) < 2 or not any(p.salary for p in jobs) or expected == jobs:
        assert order is None
    else:
        assert order is not None and len(order) == len(jobs)
        assert tuple(order[0:3]) + tuple(order[3:]) == expected
        assert [order[i] for i in range(len(jobs))] == list(expected)
