"""Personal data out of text that crowdcare copies into the knowledge base.

Customers paste e-mail addresses, phone numbers, bank account and card numbers into questions, and now and then
a token or a password. When a thread becomes a solution (its title as well as its text) those are replaced by a
visible placeholder. Numbers are removed only when they check out (libphonenumber for phone numbers, the IBAN
and Luhn check digits for accounts and cards), so invoice numbers, versions and amounts stay. Secrets are known by
their published shapes (GitHub, Stripe and AWS keys, JWTs, private key blocks) or by a ``password:`` label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import phonenumbers
from stdnum import iban, luhn

EMAIL = "[email removed]"
PHONE = "[phone removed]"
IBAN = "[bank account removed]"
CARD = "[card number removed]"
SECRET = "[secret removed]"  # noqa: S105 (the placeholder, not a password)

# Any script's letters and digits (jöhn@exämple.com), and the spelled-out forms people use to dodge scrapers:
# jane[at]example[dot]com, jane (at) example (dot) com.
_EMAIL = re.compile(r"(?<![\w.+-])[^\W_][\w.+-]{0,63}@[^\W_][\w-]*(?:\.[^\W_][\w-]*)+")
_SPELLED_EMAIL = re.compile(
    r"(?<![\w.+-])[^\W_][\w.+-]{0,63}\s*[\[({]\s*at\s*[\])}]\s*[^\W_][\w-]*(?:\s*[\[({]\s*dot\s*[\])}]\s*[\w-]+)+",
    re.IGNORECASE,
)
_SECRETS = [
    re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.DOTALL),
    re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
    re.compile(r"\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,255}\b"),
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
]
# "password: hunter2", "api_key = abc": the label stays, what follows it on the line goes.
_LABELLED_SECRET = re.compile(
    r"(?im)\b((?:password|passwd|passcode|pwd|secret|api[ _-]?key|access[ _-]?token|token)\s*[:=]\s*)\S[^\n]*"
)
# An international number written with 00 instead of + (0049 30 901820): libphonenumber wants the +.
_DOUBLE_ZERO = re.compile(r"(?<![\w+])00[1-9][\d ()-]{5,18}\d(?![\w-])")
# A national number in two groups with its trunk 0 (07700 900123, 030 901820), 9 to 11 digits in all.
_TWO_GROUP_PHONE = re.compile(r"(?<![\w/.#=+-])0\d{2,4}[ -]\d{5,8}(?![\w/-]|\.\w)")
_IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
# National numbers written in groups ((020) 7946 0958, 555-123-4567), which libphonenumber cannot place without
# a region. Bare digit runs (ids, order numbers), dates and dotted versions are left alone.
_GROUPED_PHONE = re.compile(r"(?<![\w/.#=+-])\(?\d{2,5}\)?[ -]\d{3,4}[ -]\d{3,5}(?![\w/-]|\.\w)")


@dataclass
class Redaction:
    text: str
    removed: Counter[str] = field(default_factory=Counter)  # placeholder -> how many

    @property
    def count(self) -> int:
        return sum(self.removed.values())


def redact(text: str, *, region: str | None = None) -> Redaction:
    """``text`` with e-mail addresses, phone numbers, IBANs and card numbers replaced by placeholders.

    ``region`` (ISO country code) also finds national phone numbers; without it only international ones
    (+44 …) are found, which keeps order and invoice numbers safe.
    """
    removed: Counter[str] = Counter()

    def sub(pattern: re.Pattern[str], placeholder: str, text: str, check: Callable[[str], bool] | None = None) -> str:
        def replace(match: re.Match[str]) -> str:
            value = match.group()
            if check is not None and not check(value):
                return value
            removed[placeholder] += 1
            return placeholder

        return pattern.sub(replace, text)

    for pattern in _SECRETS:
        text = sub(pattern, SECRET, text)
    text = sub(_LABELLED_SECRET, SECRET, text)  # the whole "password: x" goes: its label is not worth a rule
    text = sub(_EMAIL, EMAIL, text)
    text = sub(_SPELLED_EMAIL, EMAIL, text)
    text = sub(_IBAN, IBAN, text, lambda v: iban.is_valid(v))
    text = sub(_CARD, CARD, text, lambda v: luhn.is_valid(re.sub(r"\D", "", v)))
    text = sub(_DOUBLE_ZERO, PHONE, text, _international)
    pieces: list[str] = []
    last = 0
    for match in phonenumbers.PhoneNumberMatcher(text, region or "ZZ", leniency=phonenumbers.Leniency.POSSIBLE):
        pieces.append(text[last : match.start])
        pieces.append(PHONE)
        removed[PHONE] += 1
        last = match.end
    pieces.append(text[last:])
    text = sub(_GROUPED_PHONE, PHONE, "".join(pieces), lambda v: 8 <= sum(c.isdigit() for c in v) <= 15)
    text = sub(_TWO_GROUP_PHONE, PHONE, text, lambda v: 9 <= sum(c.isdigit() for c in v) <= 11)
    return Redaction(text, removed)


def _international(candidate: str) -> bool:
    """``00`` + a number libphonenumber knows as a possible international number."""
    try:
        number = phonenumbers.parse("+" + candidate[2:], None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)
