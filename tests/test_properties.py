"""Property-based tests of the rules that money, bank details, dates and references follow."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.validators import format_iban, normalise_iban, validate_iban
from applications import rules
from kitz_portal.money import format_amount, parse_amount

amounts = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("99999999.99"), places=2, allow_nan=False
)


@given(amounts)
def test_amounts_survive_german_notation(value):
    with translation.override("de"):
        text = format_amount(value)
    assert "." not in text.split(",")[-1]
    assert parse_amount(text) == value
    assert parse_amount(text + " €") == value


@given(amounts)
def test_amounts_survive_plain_notation(value):
    assert parse_amount(f"{value:.2f}".replace(".", ",")) == value
    assert parse_amount(f"{value:f}") == value


@given(st.text(max_size=30))
def test_parsing_arbitrary_text_never_crashes(text):
    result = parse_amount(text)
    assert result is None or isinstance(result, Decimal)


def german_iban(bank_and_account):
    """Build a valid German IBAN for 18 digits of bank code and account number."""
    for check in range(100):
        candidate = f"DE{check:02d}{bank_and_account}"
        rearranged = candidate[4:] + candidate[:4]
        if int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1:
            return candidate
    raise AssertionError("no check digits")


digits18 = st.text(alphabet="0123456789", min_size=18, max_size=18)


@given(digits18)
def test_every_correctly_built_iban_is_accepted_in_any_spacing(number):
    iban = german_iban(number)
    validate_iban(iban)
    validate_iban(format_iban(iban))
    validate_iban(format_iban(iban).lower())
    assert normalise_iban(format_iban(iban)) == iban


@given(digits18, st.integers(min_value=4, max_value=21), st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_is_always_caught(number, position, shift):
    iban = german_iban(number)
    wrong = str((int(iban[position]) + shift) % 10)
    typo = iban[:position] + wrong + iban[position + 1 :]
    with pytest.raises(ValidationError):
        validate_iban(typo)


@given(st.text(max_size=40))
def test_anything_that_is_not_a_german_iban_is_refused(text):
    candidate = normalise_iban(text)
    if len(candidate) == 22 and candidate.startswith("DE") and candidate[2:].isdigit():
        return
    with pytest.raises(ValidationError):
        validate_iban(text)


PROGRAMME = SimpleNamespace(lead_time_weeks=6, max_duration_months=12)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31))


@given(days, st.integers(min_value=-400, max_value=800), st.integers(min_value=-30, max_value=500))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_project_dates_follow_the_lead_time_and_duration_rules(today, start_offset, length):
    start = today + timedelta(days=start_offset)
    end = start + timedelta(days=length)
    errors = rules.project_date_errors(PROGRAMME, start, end, today=today)
    assert ("start_date" in errors) == (start < today + timedelta(weeks=6))
    too_long = end > rules.add_months(start, 12)
    assert ("end_date" in errors) == (end < start or too_long)


@given(days, st.integers(min_value=0, max_value=120))
def test_adding_months_never_overshoots_the_month(day, months):
    later = rules.add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day


@pytest.mark.django_db
@given(st.integers(min_value=1, max_value=60))
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_references_of_a_year_are_numbered_without_gaps(count):
    from applications.models import ReferenceCounter
    from applications.services import _next_reference

    ReferenceCounter.objects.filter(year=2031).delete()
    numbers = [_next_reference(2031) for _ in range(count)]
    assert numbers == [f"KITZ-2031-{n:04d}" for n in range(1, count + 1)]
