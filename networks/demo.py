"""Demo networks: one per Handlungsfeld, with members, a quarterly series and a next meeting."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.text import slugify

from handlungsfelder.models import Handlungsfeld

from .models import Meeting, MeetingSeries, Network, NetworkMembership, Offer, Visibility
from .services import generate_series_meetings


def _next_weekday(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def seed(demo):
    organisations = list(demo.get("organisations", {}).values())
    people = demo.get("people", {})
    coordinator = people.get("sachbearbeitung@example.org")
    lead = people.get("leitung@example.org")
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    for index, field in enumerate(Handlungsfeld.objects.order_by("order")):
        network, created = Network.objects.get_or_create(
            slug=f"netzwerk-{slugify(field.name_de)}",
            defaults={
                "name": f"Netzwerk {field.name_de}",
                "description": (
                    f"Einrichtungen und Organisationen im Handlungsfeld {field.name_de} "
                    "treffen sich regelmäßig und planen gemeinsame Integrationsangebote."
                ),
                # One demo network shows how a members-only network looks.
                "visibility": Visibility.MEMBERS_ONLY if index == 8 else Visibility.PUBLIC,
            },
        )
        if not created:
            continue
        network.handlungsfelder.add(field)
        network.coordinators.add(*[person for person in (coordinator, lead) if person])
        for position, organisation in enumerate(organisations):
            if (index + position) % 3 != 2:
                NetworkMembership.objects.get_or_create(
                    network=network,
                    organisation=organisation,
                    defaults={"role": "Mitglied", "listed_publicly": position != 1},
                )
        first = _next_weekday(today + timedelta(days=7 + index), 1)
        start = timezone.make_aware(datetime.combine(first, time(10 if index % 2 else 14)), tz)
        series = MeetingSeries.objects.create(
            network=network,
            title=f"Netzwerktreffen {field.name_de}",
            first_start=start,
            duration_minutes=120,
            rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=+2TU",
            place="Kreishaus Schleswig, Flensburger Straße 7, Raum 120",
            agenda="1. Begrüßung\n2. Berichte aus den Einrichtungen\n3. Gemeinsame Angebote",
        )
        generate_series_meetings(series)
        kickoff = start + timedelta(days=2)
        Meeting.objects.create(
            network=network,
            title="Auftakt und Kennenlernen",
            start=kickoff,
            end=kickoff + timedelta(hours=2),
            online_url="https://meet.example.org/kitz-" + network.slug,
            agenda="Vorstellungsrunde und Jahresplanung",
        )
        offer = Offer.objects.create(
            network=network,
            title=f"Informationsabend {field.name_de}",
            handlungsfeld=field,
            target_group="Neu zugewanderte Menschen im Kreis",
            starts_on=today + timedelta(days=60),
            status="planned",
        )
        offer.responsible_organisations.set(organisations[:1])
