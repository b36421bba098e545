"""Builders for application tests: a complete, valid draft in a few lines."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership
from applications import services
from applications.models import CostCategory, CriterionKind
from applications.sample import install_sample_programme
from handlungsfelder.models import Handlungsfeld
from tests.factories import OrganisationFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<Types><Override PartName="/%s" '
    'ContentType="application/vnd.openxmlformats-officedocument.%s"/></Types>'
)
DOCX_BYTES = zip_bytes(
    {
        "[Content_Types].xml": CONTENT_TYPES
        % ("word/document.xml", "wordprocessingml.document.main+xml"),
        "word/document.xml": "<w/>",
    }
)
XLSX_BYTES = zip_bytes(
    {
        "[Content_Types].xml": CONTENT_TYPES % ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
        "xl/workbook.xml": "<x/>",
    }
)
# A zip that claims to be Word by its folder names but declares no document type.
FAKE_DOCX_BYTES = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})
ODT_BYTES = zip_bytes(
    {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<o/>"}
)
ODS_BYTES = zip_bytes(
    {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<o/>"}
)
PLAIN_ZIP_BYTES = zip_bytes({"readme.txt": "hello"})


def ensure_handlungsfelder():
    # Transactional tests elsewhere may have flushed the rows of the data migration.
    if not Handlungsfeld.objects.exists():
        call_command("loaddata", "handlungsfelder", verbosity=0)


def sample_programme():
    ensure_handlungsfelder()
    return install_sample_programme()


def passing_answers(programme):
    return {
        criterion.code: "yes" if criterion.excluding_answer == "no" else "no"
        for criterion in programme.guideline.criteria.filter(kind=CriterionKind.ELIGIBILITY)
    }


def complete_organisation(**kwargs):
    defaults = {
        "contact_person": "Aylin Kaya",
        "iban": "DE89370400440532013000",
        "account_holder": "Integrationsverein e. V.",
        "is_non_profit": True,
    }
    return OrganisationFactory(**{**defaults, **kwargs})


def member_of(organisation, **kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, organisation=organisation, is_manager=True)
    return user


def project_start(programme):
    return timezone.localdate() + timedelta(weeks=programme.lead_time_weeks, days=7)


def fill_project(user, application, **overrides):
    programme = application.programme
    start = project_start(programme)
    fields = {
        "title": "Sprachcafé am Dom",
        "summary": "Wöchentliches Sprachcafé für Neuzugewanderte.",
        "description": "Jeden Mittwoch treffen sich Menschen, um Deutsch zu sprechen.",
        "target_groups": "Neuzugewanderte",
        "expected_participants": 30,
        "places": "Schleswig",
        "start_date": start,
        "end_date": start + timedelta(days=90),
    }
    fields.update(overrides)
    services.update_project(
        actor=user,
        application=application,
        handlungsfelder=list(Handlungsfeld.objects.filter(slug="sprache")),
        **fields,
    )


def add_costs(user, application, total=Decimal("2000.00")):
    services.add_cost_item(
        actor=user,
        application=application,
        category=CostCategory.objects.get(code="fees"),
        description="Honorar Sprachtrainerin",
        quantity=Decimal("1"),
        unit_price=total,
    )


def confirm_all(user, application):
    codes = list(
        application.programme.guideline.criteria.filter(kind=CriterionKind.DECLARATION).values_list(
            "code", flat=True
        )
    )
    services.confirm_declarations(actor=user, application=application, codes=codes)


def complete_draft(user=None, organisation=None, programme=None):
    """A draft that passes every rule: 2.000 € costs, 200 € own money, 1.800 € requested."""
    programme = programme or sample_programme()
    organisation = organisation or complete_organisation()
    user = user or member_of(organisation)
    application = services.start_application(
        actor=user,
        organisation=organisation,
        programme=programme,
        answers=passing_answers(programme),
    )
    fill_project(user, application)
    add_costs(user, application)
    services.save_financing(
        actor=user,
        application=application,
        own_funds=Decimal("200.00"),
        volunteer_hours=Decimal("0"),
        requested_amount=Decimal("1800.00"),
    )
    confirm_all(user, application)
    application.refresh_from_db()
    return application
