"""Personal data out of text that crowdcare copies into the knowledge base.

Customers paste e-mail addresses, phone numbers, bank account and card numbers into questions. When a thread
becomes a solution those are replaced by a visible placeholder. Numbers are removed only when they check out
(libphonenumber for phone numbers, the IBAN and Luhn check digits for accounts and cards), so invoice numbers,
versions and amounts stay.
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

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
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

    text = sub(_EMAIL, EMAIL, text)
    text = sub(_IBAN, IBAN, text, lambda v: iban.is_valid(v))
    text = sub(_CARD, CARD, text, lambda v: luhn.is_valid(re.sub(r"\D", "", v)))
    pieces: list[str] = []
    last = 0
    for match in phonenumbers.PhoneNumberMatcher(text, region or "ZZ", leniency=phonenumbers.Leniency.POSSIBLE):
        pieces.append(text[last : match.start])
        pieces.append(PHONE)
        removed[PHONE] += 1
        last = match.end
    pieces.append(text[last:])
    text = sub(_GROUPED_PHONE, PHONE, "".join(pieces), lambda v: 8 <= sum(c.isdigit() for c in v) <= 15)
    return Redaction(text, removed)
