"""Demo applications: for each demo organisation a draft, a submitted and a withdrawn one."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from handlungsfelder.models import Handlungsfeld

from . import services
from .models import Application, CostCategory
from .sample import install_sample_programme

PROJECTS = [
    {
        "title": "Sprachcafé am Dom",
        "summary": "Wöchentliches Sprachcafé für Neuzugewanderte und Einheimische.",
        "handlungsfelder": ["sprache", "vereine"],
        "places": "Schleswig",
    },
    {
        "title": "Nähwerkstatt für Frauen",
        "summary": "Offene Werkstatt, in der Frauen nähen, reden und Deutsch üben.",
        "handlungsfelder": ["frauen", "sprache"],
        "places": "Kappeln",
    },
    {
        "title": "Interkulturelles Sommerfest",
        "summary": "Ein Fest der Nachbarschaft mit Musik, Essen und Beratung.",
        "handlungsfelder": ["demokratie-kultur-werte"],
        "places": "Schleswig, Kappeln",
    },
]


def _fill(actor, application, project, start):
    fields = Handlungsfeld.objects.filter(slug__in=project["handlungsfelder"], is_active=True)
    services.update_project(
        actor=actor,
        application=application,
        handlungsfelder=list(fields) or list(Handlungsfeld.objects.filter(is_active=True)[:1]),
        title=project["title"],
        summary=project["summary"],
        description=project["summary"] + " Das Angebot ist offen für alle und kostenlos.",
        target_groups="Neuzugewanderte, Nachbarinnen und Nachbarn",
        expected_participants=40,
        places=project["places"],
        start_date=start,
        end_date=start + timedelta(days=120),
    )
    categories = {c.code: c for c in CostCategory.objects.all()}
    services.add_cost_item(
        actor=actor,
        application=application,
        category=categories["fees"],
        description="Honorar Sprachtrainerin, 20 Termine",
        quantity=Decimal("20"),
        unit_price=Decimal("60.00"),
    )
    services.add_cost_item(
        actor=actor,
        application=application,
        category=categories["material"],
        description="Lernmaterial",
        quantity=Decimal("1"),
        unit_price=Decimal("300.00"),
    )
    services.save_financing(
        actor=actor,
        application=application,
        own_funds=Decimal("150.00"),
        volunteer_hours=Decimal("10"),
        requested_amount=Decimal("1200.00"),
    )
    codes = list(
        application.programme.guideline.criteria.filter(kind="declaration").values_list(
            "code", flat=True
        )
    )
    services.confirm_declarations(actor=actor, application=application, codes=codes)


def seed(demo):
    programme = install_sample_programme()
    if not programme.is_open():
        return
    start = timezone.localdate() + timedelta(weeks=programme.lead_time_weeks + 2)
    answers = {
        c.code: ("yes" if c.excluding_answer == "no" else "no")
        for c in programme.guideline.criteria.filter(kind="eligibility")
    }
    for key in ("first", "second"):
        organisation = demo["organisations"][key]
        if Application.objects.filter(organisation=organisation).exists():
            continue
        member = organisation.memberships.select_related("user").first().user
        if not organisation.iban:
            organisation.contact_person = str(member)
            organisation.iban = "DE89370400440532013000"
            organisation.account_holder = organisation.name
            organisation.is_non_profit = True
            organisation.municipality = organisation.town
            organisation.save()
        withdrawn = services.start_application(
            actor=member, organisation=organisation, programme=programme, answers=answers
        )
        _fill(member, withdrawn, PROJECTS[2], start)
        services.submit_application(actor=member, application=withdrawn)
        services.withdraw_application(
            actor=member, application=withdrawn, reason="Das Fest findet dieses Jahr nicht statt."
        )
        submitted = services.start_application(
            actor=member, organisation=organisation, programme=programme, answers=answers
        )
        _fill(member, submitted, PROJECTS[0 if key == "first" else 1], start)
        services.submit_application(actor=member, application=submitted)
        draft = services.start_application(
            actor=member, organisation=organisation, programme=programme, answers=answers
        )
        services.update_project(
            actor=member,
            application=draft,
            handlungsfelder=list(Handlungsfeld.objects.filter(is_active=True)[:1]),
            title="Patenschaften für Familien",
            summary="Ehrenamtliche begleiten neu angekommene Familien.",
            description="",
            target_groups="",
            expected_participants=None,
            places="",
            start_date=None,
            end_date=None,
        )
