"""Demo applications: for each demo organisation a draft, a submitted and a withdrawn one."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
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
    seed_administration(demo, programme)
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
    seed_review_cases(demo, programme, start, answers)


# Review and decision ---------------------------------------------------------------------


def _demo_member(organisation, user):
    """A person of another demo organisation helps out here; no new accounts are needed."""
    from accounts.models import Membership

    if not organisation.iban:
        organisation.contact_person = str(user)
        organisation.iban = "DE89370400440532013000"
        organisation.account_holder = organisation.name
        organisation.is_non_profit = True
        organisation.municipality = organisation.town
        organisation.save()
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"is_manager": True}
    )
    return user


def _submitted(member, organisation, programme, answers, project, start):
    application = services.start_application(
        actor=member, organisation=organisation, programme=programme, answers=answers
    )
    _fill(member, application, project, start)
    return services.submit_application(actor=member, application=application)


def _reviewed(handler, application, *, approve):
    from .models import CostOutcome, CriterionKind, CriterionOutcome, FinancingType, Proposal

    services.assign_application(actor=handler, application=application, assignee=handler)
    review = services.save_review(
        actor=handler,
        application=application,
        is_complete=True,
        is_in_time=True,
        is_eligible_applicant=True,
        formal_remark="",
        financing_type=FinancingType.DEFICIT,
        items={
            criterion.pk: (
                CriterionOutcome.MET
                if approve or criterion.code != "review_additional"
                else CriterionOutcome.NOT_MET,
                ""
                if approve or criterion.code != "review_additional"
                else "Das Angebot ersetzt eine Regelleistung der Gemeinde.",
            )
            for criterion in application.guideline.criteria.filter(kind=CriterionKind.REVIEW)
        },
        cost_decisions={
            item.pk: (CostOutcome.ACCEPTED, None, "") for item in application.cost_items.all()
        },
    )
    if approve:
        services.propose_decision(
            actor=handler,
            application=application,
            proposal=Proposal.APPROVE,
            amount=min(review.computed_grant, application.requested_amount),
            period_start=application.start_date,
            period_end=application.end_date,
            conditions="Bitte nennen Sie den Kreis Schleswig-Flensburg auf Plakaten als Förderer.",
        )
    else:
        services.propose_decision(
            actor=handler,
            application=application,
            proposal=Proposal.REJECT,
            rejection_reasons=(
                "Das Projekt ist nicht zusätzlich: Es ersetzt eine Regelleistung der Gemeinde "
                "(Leitfaden: Förderzweck)."
            ),
        )


def _special_programme(programme):
    """A second demo programme without the one-pending rule, so one organisation shows
    several cases in review at once."""
    from .models import FundingProgramme

    special, created = FundingProgramme.objects.get_or_create(
        title="Sonderprogramm Ehrenamt verbindet",
        budget_year=programme.budget_year,
        defaults={
            "guideline": programme.guideline,
            "description": "Kleine Projekte ehrenamtlicher Initiativen (Demo).",
            "opens_on": programme.opens_on,
            "closes_on": programme.closes_on,
            "budget": Decimal("15000.00"),
            "min_grant": programme.min_grant,
            "max_grant": programme.max_grant,
            "min_own_share_percent": programme.min_own_share_percent,
            "volunteer_hourly_rate": programme.volunteer_hourly_rate,
            "volunteer_cap_percent": programme.volunteer_cap_percent,
            "max_investment_per_item": programme.max_investment_per_item,
            "lead_time_weeks": programme.lead_time_weeks,
            "max_duration_months": programme.max_duration_months,
            "one_pending_per_organisation": False,
            "contact_name": programme.contact_name,
            "contact_email": programme.contact_email,
            "contact_phone": programme.contact_phone,
        },
    )
    if created:
        special.eligible_cost_categories.set(programme.eligible_cost_categories.all())
    return special


def seed_review_cases(demo, programme, start, answers):
    """Cases in every step of the review, all of the third demo organisation: in review, with
    a question, proposed, approved and rejected. The other organisations stay as they are."""
    people = demo.get("people", {})
    handler = people.get("sachbearbeitung@example.org")
    lead = people.get("leitung@example.org")
    third = demo["organisations"].get("third")
    helper = people.get("verein2@example.org")
    if handler is None or lead is None or third is None or helper is None:
        return
    if Application.objects.filter(organisation=third).exists():
        return
    member = _demo_member(third, helper)
    approved = _submitted(member, third, programme, answers, PROJECTS[0], start)
    _reviewed(handler, approved, approve=True)
    services.decide_application(actor=lead, application=approved, action="approve")
    seed_paid_payment(approved, member=member, handler=handler, lead=lead)
    seed_open_amendment(approved, member=member)
    seed_closed_case(
        _submitted(member, third, programme, answers, PROJECTS[1], start),
        member=member,
        handler=handler,
        lead=lead,
    )
    heard = _submitted(member, third, programme, answers, PROJECTS[2], start)
    _reviewed(handler, heard, approve=True)
    services.decide_application(actor=lead, application=heard, action="approve")
    seed_paid_payment(heard, member=member, handler=handler, lead=lead)
    seed_hearing(heard, handler=handler)
    rejected = _submitted(member, third, programme, answers, PROJECTS[2], start)
    _reviewed(handler, rejected, approve=False)
    services.decide_application(actor=lead, application=rejected, action="reject")
    questioned = _submitted(member, third, programme, answers, PROJECTS[1], start)
    services.assign_application(actor=handler, application=questioned, assignee=handler)
    services.request_information(
        actor=handler,
        application=questioned,
        message="Bitte reichen Sie die Zusage für den Raum im Gemeindehaus nach.",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    special = _special_programme(programme)
    in_review = _submitted(member, third, special, answers, PROJECTS[1], start)
    services.assign_application(actor=handler, application=in_review, assignee=handler)
    proposed = _submitted(member, third, special, answers, PROJECTS[0], start)
    _reviewed(handler, proposed, approve=True)


# After the Bescheid ----------------------------------------------------------------------


def seed_paid_payment(application, *, member, handler, lead):
    """A first Mittelabruf on the approved case, checked, released and paid."""
    from . import payments
    from .usage_reports import usage_report_for

    application.refresh_from_db()
    payment = payments.request_payment(
        actor=member,
        application=application,
        amount=Decimal("600.00"),
        period_start=application.decision.period_start,
        period_end=application.decision.period_start + timedelta(days=30),
    )
    payments.check_payment_request(actor=handler, payment=payment)
    payments.release_payment_request(actor=lead, payment=payment)
    payments.mark_payment_paid(actor=handler, payment=payment, paid_on=timezone.localdate())
    usage_report_for(application)


def _demo_pdf():
    """A one-page PDF standing in for a flyer."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def seed_open_amendment(application, *, member):
    """An Änderungsantrag waiting for the KITZ: the project runs a month longer."""
    from . import amendments

    values = amendments.current_values(application)
    amendments.request_amendment(
        actor=member,
        application=application,
        new_start=values["new_start"],
        new_end=values["new_end"] + timedelta(days=30),
        new_amount=values["new_amount"],
        justification="Die Referentin ist erkrankt; zwei Termine werden nachgeholt.",
        lines=values["lines"],
    )


def seed_closed_case(application, *, member, handler, lead):
    """A case taken to its end: approved, receipts and Sachbericht in, checked and closed."""
    from . import usage_reports
    from .usage_models import UsageCheckItem, UsageCheckOutcome

    _reviewed(handler, application, approve=True)
    services.decide_application(actor=lead, application=application, action="approve")
    application.refresh_from_db()
    decision = application.decision
    fees = application.programme.eligible_cost_categories.get(code="fees")
    usage_reports.add_receipt(
        actor=member,
        application=application,
        paid_on=decision.period_start,
        payee="Sprachtrainerin A. Hansen",
        purpose="Honorar, 20 Termine",
        category=fees,
        amount=Decimal("1200.00"),
    )
    usage_reports.add_usage_attachment(
        actor=member,
        application=application,
        upload=ContentFile(_demo_pdf(), name="Flyer Nähwerkstatt.pdf"),
        content_type="application/pdf",
        description="Flyer mit dem Logo des Kreises",
    )
    usage_reports.submit_usage_report(
        actor=member,
        application=application,
        activities="Die Nähwerkstatt fand an 20 Nachmittagen statt.",
        participants="Frauen mit Fluchtgeschichte: 18, Nachbarinnen: 9",
        publicity="Flyer und Aushang mit dem Logo des Kreises Schleswig-Flensburg.",
    )
    usage_reports.check_usage_report(
        actor=handler,
        application=application,
        answers={
            item.value: (
                UsageCheckOutcome.MET,
                "Flyer liegt bei." if item == UsageCheckItem.PUBLICITY else "",
            )
            for item in UsageCheckItem
        },
        remarks="Vollständig.",
    )
    usage_reports.confirm_usage_report(actor=lead, application=application)


def seed_hearing(application, *, handler):
    """A Widerruf under way: the Anhörung is out and waits for the applicant's answer."""
    from . import revocation

    application.refresh_from_db()
    revocation.start_hearing(
        actor=handler,
        application=application,
        scope="partial",
        amount=Decimal("200.00"),
        reason=(
            "Nach Ihrer Mitteilung hat das Straßenfest nicht wie geplant an zwei, sondern nur "
            "an einem Tag stattgefunden. Die Kosten des zweiten Tages sind nicht entstanden."
        ),
    )


# Administration ---------------------------------------------------------------------------

DEMO_INTRO = (
    "vielen Dank für Ihr Engagement für ein gutes Zusammenleben im Kreis Schleswig-Flensburg. "
    "Mit diesem Förderprogramm unterstützt der Kreis Projekte, die Menschen mit und ohne "
    "Einwanderungsgeschichte zusammenbringen. Über Ihren Antrag entscheide ich wie folgt:"
)


def seed_administration(demo, programme):
    """Something to see on the staff pages: a programme's own letter text, a budget top-up
    and a second Leitfaden version in preparation."""
    from . import admin_services, letter_texts
    from .models import BudgetChange, Guideline, LetterTextBlock, TextBlockKey

    admin = demo.get("people", {}).get("admin@example.org")
    if admin is None:
        return
    if not LetterTextBlock.objects.filter(programme=programme).exists():
        letter_texts.save_text_block(
            actor=admin, programme=programme, key=TextBlockKey.INTRO, text=DEMO_INTRO
        )
    if not BudgetChange.objects.filter(programme=programme).exists():
        admin_services.change_budget(
            actor=admin,
            programme=programme,
            amount=Decimal("5000.00"),
            reason="Aufstockung aus Restmitteln des Vorjahres (Demo)",
        )
    guideline = programme.guideline
    if not Guideline.objects.filter(title=guideline.title, version__gt=guideline.version).exists():
        admin_services.start_guideline_version(actor=admin, guideline=guideline)
