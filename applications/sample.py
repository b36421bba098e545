"""The sample programme and Leitfaden (DESIGN.md §3): data an administrator replaces later.

``install_sample_programme`` is idempotent; ``seed_demo`` and the command
``load_sample_programme`` call it.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import (
    AttachmentKind,
    CostCategory,
    CriterionKind,
    FundingProgramme,
    Guideline,
    GuidelineCriterion,
)

GUIDELINE_TITLE = "Leitfaden zur Vergabe finanzieller Mittel für positive Integration"

COST_CATEGORIES = [
    # code, German, English, eligible, investment, reason when not eligible (de, en)
    (
        "fees",
        "Honorare für Referierende und Trainer*innen",
        "Fees for speakers and trainers",
        True,
        False,
        "",
        "",
    ),
    (
        "interpreting",
        "Dolmetschen und Übersetzen",
        "Interpreting and translation",
        True,
        False,
        "",
        "",
    ),
    ("material", "Material", "Material", True, False, "", ""),
    ("room_rent", "Raummiete", "Rent of rooms", True, False, "", ""),
    ("publicity", "Druck und Öffentlichkeitsarbeit", "Printing and publicity", True, False, "", ""),
    ("travel", "Fahrtkosten", "Travel", True, False, "", ""),
    (
        "childcare",
        "Kinderbetreuung während der Maßnahme",
        "Childcare during the measure",
        True,
        False,
        "",
        "",
    ),
    ("catering", "Verpflegung in angemessenem Umfang", "Modest catering", True, False, "", ""),
    ("equipment", "Anschaffungen", "Equipment", True, True, "", ""),
    (
        "staff",
        "Personalkosten für feste Stellen",
        "Permanent staff",
        False,
        False,
        "Personalkosten für feste Stellen sind nach dem Leitfaden nicht förderfähig. Honorare für "
        "einzelne Einsätze können Sie als „Honorare“ angeben.",
        "Permanent staff costs are not eligible under the guideline. Fees for single assignments "
        "can be entered as “Fees”.",
    ),
    (
        "running_costs",
        "Laufende Kosten der Organisation",
        "Running costs of the organisation",
        False,
        False,
        "Laufende Kosten der Organisation (zum Beispiel Miete der Geschäftsstelle, Strom, "
        "Versicherungen) fördert der Leitfaden nicht – nur Kosten des Projekts.",
        "Running costs of the organisation (such as office rent, electricity, insurance) are not "
        "funded – only the costs of the project.",
    ),
    (
        "alcohol",
        "Alkoholische Getränke",
        "Alcoholic drinks",
        False,
        False,
        "Alkoholische Getränke sind nach dem Leitfaden nicht förderfähig.",
        "Alcoholic drinks are not eligible under the guideline.",
    ),
]

ELIGIBILITY = [
    # code, question de, question en, excluding answer, explanation de, explanation en
    (
        "non_profit",
        "Ist Ihre Organisation gemeinnützig oder eine nicht auf Gewinn ausgerichtete Gruppe "
        "(Verein, Migrantenselbstorganisation, Institution, ehrenamtliche Initiative)?",
        "Is your organisation non-profit or a group not aimed at profit (association, migrant "
        "organisation, institution, volunteer initiative)?",
        "no",
        "Gefördert werden nur gemeinnützige Organisationen und Gruppen. Einzelpersonen und "
        "gewerbliche Unternehmen können keine Förderung erhalten.",
        "Only non-profit organisations and groups are funded. Individuals and commercial "
        "companies are not eligible.",
    ),
    (
        "in_kreis",
        "Ist Ihre Organisation im Kreis Schleswig-Flensburg tätig und findet das Projekt im "
        "Kreis statt?",
        "Is your organisation active in Kreis Schleswig-Flensburg and does the project take "
        "place in the district?",
        "no",
        "Gefördert werden nur Projekte im Kreis Schleswig-Flensburg von Organisationen, die hier "
        "tätig sind.",
        "Only projects in Kreis Schleswig-Flensburg by organisations active here are funded.",
    ),
    (
        "integration",
        "Dient das Projekt der positiven Integration in mindestens einem Handlungsfeld des KITZ?",
        "Does the project serve positive integration in at least one of the KITZ's fields of "
        "action?",
        "no",
        "Gefördert werden Maßnahmen der positiven Integration in mindestens einem der neun "
        "Handlungsfelder.",
        "Measures of positive integration in at least one of the nine fields of action are funded.",
    ),
    (
        "statutory_task",
        "Ist das Projekt eine gesetzliche Pflichtaufgabe (zum Beispiel einer Schule oder einer "
        "Behörde)?",
        "Is the project a statutory task (for example of a school or an authority)?",
        "yes",
        "Gefördert werden nur zusätzliche Angebote. Gesetzliche Pflichtaufgaben kann der Kreis "
        "aus diesem Budget nicht fördern.",
        "Only additional offers are funded. Statutory tasks cannot be funded from this budget.",
    ),
    (
        "duration",
        "Dauert das Projekt höchstens 12 Monate?",
        "Does the project last 12 months at most?",
        "no",
        "Projekte dürfen höchstens 12 Monate dauern. Teilen Sie ein längeres Vorhaben in "
        "Abschnitte und beantragen Sie diese einzeln.",
        "Projects may last 12 months at most. Split a longer plan into parts and apply for them "
        "one by one.",
    ),
    (
        "lead_time",
        "Beginnt das Projekt frühestens 6 Wochen nach dem Absenden des Antrags?",
        "Does the project start 6 weeks after you submit the application or later?",
        "no",
        "Anträge müssen mindestens 6 Wochen vor Projektbeginn gestellt werden, damit das KITZ "
        "rechtzeitig entscheiden kann.",
        "Applications must be made at least 6 weeks before the project starts so that the KITZ "
        "can decide in time.",
    ),
    (
        "started",
        "Haben Sie mit dem Projekt schon begonnen oder schon Aufträge dafür vergeben?",
        "Have you already started the project or placed orders for it?",
        "yes",
        "Ein Projekt, das schon begonnen hat, kann nicht mehr gefördert werden (kein vorzeitiger "
        "Maßnahmebeginn). Kosten vor der Bewilligung sind nicht förderfähig.",
        "A project that has already started cannot be funded (no early start). Costs before "
        "approval are not eligible.",
    ),
]

REVIEW = [
    (
        "review_applicant",
        "Antragsteller ist gemeinnützig und im Kreis tätig (Nachweis liegt vor).",
        "Applicant is non-profit and active in the district (proof available).",
    ),
    (
        "review_purpose",
        "Projekt dient der positiven Integration in mindestens einem Handlungsfeld.",
        "Project serves positive integration in at least one field of action.",
    ),
    (
        "review_additional",
        "Projekt ist zusätzlich, zeitlich begrenzt und findet im Kreis statt.",
        "Project is additional, time-limited and takes place in the district.",
    ),
    (
        "review_costs",
        "Kosten sind förderfähig, angemessen und der Finanzierungsplan ist ausgeglichen.",
        "Costs are eligible and reasonable; the financing plan balances.",
    ),
    (
        "review_limits",
        "Förderhöhe, Eigenanteil und Vorlaufzeit entsprechen dem Leitfaden.",
        "Grant amount, own share and lead time follow the guideline.",
    ),
]

DECLARATIONS = [
    (
        "no_early_start",
        "Ich erkläre, dass mit dem Projekt noch nicht begonnen wurde und vor der Bewilligung "
        "nicht begonnen wird (kein vorzeitiger Maßnahmebeginn), sofern das KITZ dem nicht "
        "ausdrücklich zugestimmt hat.",
        "I declare that the project has not started and will not start before approval (no "
        "early start) unless the KITZ has expressly agreed.",
    ),
    (
        "no_double_funding",
        "Ich erkläre, dass für dieselben Kosten keine weitere Förderung beantragt oder bewilligt "
        "wurde, außer den im Finanzierungsplan genannten Drittmitteln (keine Doppelförderung).",
        "I declare that no other funding has been applied for or granted for the same costs, "
        "apart from the third-party funds listed in the financing plan (no double funding).",
    ),
    (
        "truthful",
        "Ich versichere, dass alle Angaben in diesem Antrag und seinen Anlagen vollständig und "
        "wahr sind. Änderungen teile ich dem KITZ unverzüglich mit.",
        "I confirm that all information in this application and its attachments is complete "
        "and true. I will report changes to the KITZ without delay.",
    ),
    (
        "publicity",
        "Ich sage zu, in der Öffentlichkeitsarbeit zum Projekt den Kreis Schleswig-Flensburg "
        "als Förderer zu nennen.",
        "I undertake to name Kreis Schleswig-Flensburg as funder in the project's publicity.",
    ),
    (
        "privacy",
        "Ich habe die Datenschutzhinweise des KITZ-Portals gelesen.",
        "I have read the privacy notice of the KITZ-Portal.",
    ),
]


# The kinds of attachment a programme can require (the same rows as migration 0011 adds).
ATTACHMENT_KINDS = [
    ("statutes", "Satzung", "Statutes"),
    ("tax_exemption", "Freistellungsbescheid des Finanzamts", "Tax exemption notice"),
    ("cost_estimate", "Kostenvoranschlag", "Cost estimate"),
    (
        "register_extract",
        "Auszug aus dem Vereinsregister",
        "Extract from the register of associations",
    ),
    ("programme_outline", "Programm oder Ablaufplan", "Programme or schedule"),
]


def install_attachment_kinds():
    for order, (code, name_de, name_en) in enumerate(ATTACHMENT_KINDS, 1):
        AttachmentKind.objects.get_or_create(
            code=code, defaults={"name_de": name_de, "name_en": name_en, "order": order}
        )


@transaction.atomic
def install_sample_programme(*, year=None):
    """Create (or find) the sample Leitfaden, its criteria, cost categories and programme."""
    year = year or timezone.localdate().year
    guideline, _created = Guideline.objects.get_or_create(
        title=GUIDELINE_TITLE, version=1, defaults={"published_at": timezone.now()}
    )
    for order, (code, text_de, text_en, excluding, expl_de, expl_en) in enumerate(ELIGIBILITY, 1):
        GuidelineCriterion.objects.get_or_create(
            guideline=guideline,
            code=code,
            defaults={
                "kind": CriterionKind.ELIGIBILITY,
                "order": order,
                "text_de": text_de,
                "text_en": text_en,
                "excluding_answer": excluding,
                "explanation_de": expl_de,
                "explanation_en": expl_en,
            },
        )
    for kind, rows in ((CriterionKind.REVIEW, REVIEW), (CriterionKind.DECLARATION, DECLARATIONS)):
        for order, (code, text_de, text_en) in enumerate(rows, 1):
            GuidelineCriterion.objects.get_or_create(
                guideline=guideline,
                code=code,
                defaults={"kind": kind, "order": order, "text_de": text_de, "text_en": text_en},
            )
    eligible = []
    for order, (code, name_de, name_en, is_eligible, investment, reason_de, reason_en) in enumerate(
        COST_CATEGORIES, 1
    ):
        category, _created = CostCategory.objects.get_or_create(
            code=code,
            defaults={
                "name_de": name_de,
                "name_en": name_en,
                "order": order,
                "is_investment": investment,
                "ineligible_reason_de": reason_de,
                "ineligible_reason_en": reason_en,
            },
        )
        if is_eligible:
            eligible.append(category)
    install_attachment_kinds()
    programme, created = FundingProgramme.objects.get_or_create(
        title="Förderung positiver Integration",
        budget_year=year,
        defaults={
            "guideline": guideline,
            "description": (
                "Zuschüsse für Projekte von Vereinen, Migrantenselbstorganisationen, "
                "Institutionen und ehrenamtlichen Initiativen im Kreis Schleswig-Flensburg."
            ),
            "opens_on": date(year, 1, 1),
            "closes_on": date(year, 12, 31),
            "budget": Decimal("60000.00"),
            "min_grant": Decimal("250.00"),
            "max_grant": Decimal("5000.00"),
            "min_own_share_percent": Decimal("10"),
            "volunteer_hourly_rate": Decimal("15.00"),
            "volunteer_cap_percent": Decimal("20"),
            "max_investment_per_item": Decimal("800.00"),
            "lead_time_weeks": 6,
            "max_duration_months": 12,
            "one_pending_per_organisation": True,
            "contact_name": "KITZ – Fachdienst Migrationsmanagement",
            "contact_email": "kitz@schleswig-flensburg.de",
            "contact_phone": "04621 87-0",
        },
    )
    if created:
        programme.eligible_cost_categories.set(eligible)
    return programme
