"""Personal data is removed only where it checks out: real e-mail addresses, phone numbers, IBANs and card
numbers go; invoice numbers, versions, dates and amounts stay."""

from __future__ import annotations

import pytest

from crowdcare.core.redact import CARD, EMAIL, IBAN, PHONE, SECRET, redact


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 0049 30 901820 please", f"call {PHONE} please"),
        ("mobile 07700 900123 thanks", f"mobile {PHONE} thanks"),
        ("mail jane[at]example[dot]com now", f"mail {EMAIL} now"),
        ("mail jane (at) example (dot) co (dot) uk now", f"mail {EMAIL} now"),
        ("from jöhn@exämple.com today", f"from {EMAIL} today"),
        ("token ghp_" + "a1B2" * 9 + " leaked", f"token {SECRET} leaked"),
        ("pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz here", f"pat {SECRET} here"),
        ("key sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc" + " oops", f"key {SECRET} oops"),
        ("aws AKIAIOSFODNN7EXAMPLE there", f"aws {SECRET} there"),
        (
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end",
            f"jwt {SECRET} end",
        ),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----\nthanks", f"{SECRET}\nthanks"),
        ("login: jane\npassword: hunter2 (temporary)\nthanks", f"login: jane\n{SECRET}\nthanks"),
        ("my API key = abc123def", f"my {SECRET}"),
    ],
)
def test_more_personal_data_and_secrets_are_replaced(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 0012345 arrived",
        "the password field is greyed out",
        "invoice 2026-000123 and 007 agent",
        "JWT support in the API? eyJ is how they start",
        "release 4.12 on 01 12 2026",
    ],
)
def test_lookalikes_stay(text: str) -> None:
    assert redact(text).text == text


def test_a_title_with_personal_data_makes_a_clean_solution_title_and_slug() -> None:
    from crowdcare.core.model import Channel, PersonRef, Thread, ThreadRef
    from crowdcare.core.text import slug_from_title
    from crowdcare.promote.draft import title_of

    thread = Thread(ThreadRef(Channel.DISCUSSION, 9), "Call me on +44 20 7946 0958 or jane@example.com", "",
                    PersonRef("jane", 1), "https://github.com/o/r/discussions/9", "2026-11-01T00:00:00Z",
                    "2026-11-01T00:00:00Z")  # fmt: skip
    title = title_of(thread)
    assert "7946" not in title and "jane@" not in title and EMAIL in title and PHONE in title
    assert "jane" not in slug_from_title(title) and "7946" not in slug_from_title(title)
