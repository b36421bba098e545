# Dates as in German (dd.mm.yyyy), which the forms expect; numbers keep this language's separators.
from kitz_portal.formats.de.formats import (  # noqa: F401
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
)
