"""Writes on Handlungsfelder: administrators add, rename, reorder and deactivate them."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from kitz_portal.errors import PortalError

from .models import Handlungsfeld
from .selectors import all_handlungsfelder, usage_count


def _require_administrator(actor):
    if not permissions.is_administrator(actor):
        raise PortalError(_("Nur die Administration darf Handlungsfelder verwalten."))


@transaction.atomic
def create_handlungsfeld(*, actor, **fields):
    _require_administrator(actor)
    last = Handlungsfeld.objects.aggregate(last=Max("order"))["last"] or 0
    return Handlungsfeld.objects.create(order=last + 1, **fields)


@transaction.atomic
def update_handlungsfeld(*, actor, handlungsfeld, **fields):
    _require_administrator(actor)
    for name, value in fields.items():
        setattr(handlungsfeld, name, value)
    handlungsfeld.save()
    return handlungsfeld


@transaction.atomic
def move_handlungsfeld(*, actor, handlungsfeld, direction):
    """Swap the field with its neighbour above (-1) or below (+1) and renumber all."""
    _require_administrator(actor)
    fields = list(all_handlungsfelder().select_for_update())
    index = next(i for i, item in enumerate(fields) if item.pk == handlungsfeld.pk)
    target = index + direction
    if 0 <= target < len(fields):
        fields[index], fields[target] = fields[target], fields[index]
    for position, item in enumerate(fields, start=1):
        if item.order != position:
            item.order = position
            item.save(update_fields=["order"])


@transaction.atomic
def set_handlungsfeld_active(*, actor, handlungsfeld, active):
    _require_administrator(actor)
    handlungsfeld.is_active = active
    handlungsfeld.save(update_fields=["is_active"])


@transaction.atomic
def delete_handlungsfeld(*, actor, handlungsfeld):
    _require_administrator(actor)
    handlungsfeld = Handlungsfeld.objects.select_for_update().get(pk=handlungsfeld.pk)
    if usage_count(handlungsfeld):
        raise PortalError(
            _(
                "„%(name)s“ wird in Anträgen oder Netzwerken verwendet und kann nicht gelöscht "
                "werden. Sie können das Handlungsfeld stattdessen deaktivieren."
            )
            % {"name": handlungsfeld.name}
        )
    handlungsfeld.delete()
