import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GERMAN_IBAN = re.compile(r"^DE\d{20}$")


def normalise_iban(value):
    return re.sub(r"\s+", "", value or "").upper()


def validate_iban(value):
    """A German IBAN: DE, 20 digits, and the ISO 13616 mod-97 checksum equals 1."""
    iban = normalise_iban(value)
    if not GERMAN_IBAN.match(iban):
        raise ValidationError(
            _(
                "Bitte geben Sie eine deutsche IBAN ein: DE und 20 Ziffern, "
                "z. B. DE89 3704 0044 0532 0130 00."
            ),
            code="iban_format",
        )
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    if int(digits) % 97 != 1:
        raise ValidationError(
            _(
                "Die IBAN ist nicht gültig: die Prüfziffer stimmt nicht. "
                "Bitte prüfen Sie Ihre Eingabe."
            ),
            code="iban_checksum",
        )


def format_iban(value):
    iban = normalise_iban(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
