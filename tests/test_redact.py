"""Personal data is removed only where it checks out: real e-mail addresses, phone numbers, IBANs and card
numbers go; invoice numbers, versions, dates and amounts stay."""

from __future__ import annotations

import pytest

from crowdcare.redact import CARD, EMAIL, IBAN, PHONE, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to a.b+shop@example.co.uk today", f"write to {EMAIL} today"),
        ("call +44 20 7946 0958 now", f"call {PHONE} now"),
        ("call (020) 7946 0958", f"call {PHONE}"),
        ("IBAN GB82 WEST 1234 5698 7654 32 please", f"IBAN {IBAN} please"),
        ("card 4111 1111 1111 1111 expired", f"card {CARD} expired"),
    ],
)
def test_personal_data_is_replaced(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Invoice numbers skipped from 1041 to 1043",
        "version 4.12.1, 2026-01-02, order 123456789",
        "a difference of 0.01 on 12/03/2026",
        "@maya-okafor said so",
    ],
)
def test_numbers_that_are_not_personal_data_stay(text: str) -> None:
    result = redact(text)
    assert result.text == text and result.count == 0


def test_check_digits_decide_what_a_number_is() -> None:
    """A wrong check digit is not called an account or a card; its digit groups still go, as a phone number
    would (when in doubt, a grouped number is treated as personal)."""
    assert IBAN not in redact("GB00 WEST 1234 5698 7654 32").text
    assert CARD not in redact("4111 1111 1111 1112").text
