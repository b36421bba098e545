# Dates and amounts as in German (dd.mm.yyyy, 1.234,56 €): the forms expect them, and they stay
# left to right on right-to-left pages. Dari (fa_AF) falls back to this module.
from kitz_portal.formats.de.formats import *  # noqa: F403
