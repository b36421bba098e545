"""Reactions of the applications app to changes elsewhere in the portal."""

from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext

from accounts.organisation_merge import organisation_merged

from .models import Application, ApplicationEvent


@receiver(organisation_merged)
def record_merge_on_timelines(sender, source, target, actor, moved, **kwargs):
    """Each moved application's timeline says which organisation it belongs to now."""
    with translation.override("de"):
        note = gettext(
            "Die Organisation „%(source)s“ wurde mit „%(target)s“ zusammengeführt. "
            "Der Antrag gehört jetzt zu „%(target)s“."
        ) % {"source": source.name, "target": target.name}
    applications = Application.objects.filter(pk__in=moved.get(Application, [])).only("status")
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            application=application,
            actor=actor,
            from_status=application.status,
            to_status=application.status,
            note=note,
        )
        for application in applications
    )
