from .models import Handlungsfeld


def active_handlungsfelder():
    return Handlungsfeld.objects.filter(is_active=True).order_by("order", "name_de")


def all_handlungsfelder():
    return Handlungsfeld.objects.order_by("order", "name_de")


def usage_count(handlungsfeld):
    """How many rows elsewhere refer to this field (applications, networks, …)."""
    total = 0
    for relation in handlungsfeld._meta.related_objects:
        accessor = relation.get_accessor_name()
        if relation.many_to_many or relation.one_to_many:
            total += getattr(handlungsfeld, accessor).count()
    return total
