"""Art. 15 DSGVO: everything the portal holds about a person, as JSON plus the files of
their organisations, in one ZIP archive.
"""

import json
import tempfile
import zipfile

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from accounts.models import Organisation
from applications.models import (
    Application,
    DecisionLetter,
    Receipt,
    RepaymentReceipt,
    RevocationProcedure,
    UsageAttachment,
    UsageReport,
)

SECRET_WORDS = ("password", "token", "secret")
# Staff-internal working notes are not part of what applicants receive here.
LEFT_OUT = {"applications.internalnote"}
INTERNAL_FIELDS = {"review_remarks"}


def _rows(queryset):
    rows = serializers.serialize("python", queryset)
    for row in rows:
        row["fields"] = {
            name: value
            for name, value in row["fields"].items()
            if not any(word in name for word in SECRET_WORDS) and name not in INTERNAL_FIELDS
        }
    return rows


def _related_to_user(user):
    """Every row of every model that points at the person."""
    data = {}
    for relation in user._meta.related_objects:
        model = relation.related_model
        label = model._meta.label_lower
        if label in LEFT_OUT or not relation.field.concrete:
            continue
        queryset = model._default_manager.filter(**{relation.field.name: user})
        rows = _rows(queryset)
        if rows:
            data.setdefault(label, []).extend(rows)
    return data


def personal_data(user):
    organisations = Organisation.objects.filter(memberships__user=user)
    applications = Application.objects.filter(organisation__in=organisations)
    return {
        "exported_at": timezone.now(),
        "person": _rows([user])[0],
        "about_the_person": _related_to_user(user),
        "organisations": _rows(organisations),
        "applications": _rows(applications),
        "cost_items": _rows(_children(applications, "cost_items")),
        "financing_items": _rows(_children(applications, "financing_items")),
        "messages": _rows(_children(applications, "messages")),
        "attachments": _rows(_children(applications, "attachments")),
        "letters": _rows(_children(applications, "letters")),
        "payment_requests": _rows(_children(applications, "payment_requests")),
        "usage_reports": _rows(UsageReport.objects.filter(application__in=applications)),
        "receipts": _rows(Receipt.objects.filter(report__application__in=applications)),
        "usage_report_attachments": _rows(
            UsageAttachment.objects.filter(report__application__in=applications)
        ),
        "amendment_requests": _rows(_children(applications, "amendment_requests")),
        "revocation_procedures": _rows(_children(applications, "revocation_procedures")),
        "repayments": _rows(_children(applications, "repayments")),
        "repayment_receipts": _rows(
            RepaymentReceipt.objects.filter(repayment__application__in=applications)
        ),
    }


def _children(applications, related_name):
    field = Application._meta.get_field(related_name)
    return field.related_model._default_manager.filter(**{f"{field.field.name}__in": applications})


def _files(user):
    organisations = Organisation.objects.filter(memberships__user=user)
    for organisation in organisations:
        if organisation.non_profit_proof:
            yield (
                f"organisationen/{organisation.pk}/{organisation.non_profit_proof_name}",
                organisation.non_profit_proof,
            )
    attachments = _children(
        Application.objects.filter(organisation__in=organisations), "attachments"
    ).select_related("application")
    for attachment in attachments:
        folder = attachment.application.reference or f"entwurf-{attachment.application_id}"
        yield f"antraege/{folder}/{attachment.pk}-{attachment.original_name}", attachment.file
    applications = Application.objects.filter(organisation__in=organisations)
    report_files = UsageAttachment.objects.filter(
        report__application__in=applications
    ).select_related("report__application")
    for attachment in report_files:
        folder = attachment.report.application.reference
        name = f"{attachment.pk}-{attachment.original_name}"
        yield f"antraege/{folder}/verwendungsnachweis/{name}", attachment.file
    letters = DecisionLetter.objects.filter(application__in=applications).select_related(
        "application"
    )
    for letter in letters:
        yield (
            f"antraege/{letter.application.reference}/bescheide/{letter.pk}-{letter.download_name}",
            letter.file,
        )
    procedures = (
        RevocationProcedure.objects.filter(application__in=applications)
        .exclude(hearing_file="")
        .select_related("application")
    )
    for procedure in procedures:
        folder = procedure.application.reference
        yield f"antraege/{folder}/bescheide/anhoerung-{procedure.pk}.pdf", procedure.hearing_file


def personal_data_archive(user):
    """The ZIP as a temporary file on disk, rewound, for a streaming response."""
    archive = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 - closed by FileResponse
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(
            "meine-daten.json",
            json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name, field_file in _files(user):
            try:
                with field_file.open("rb") as source:
                    bundle.writestr(name, source.read())
            except FileNotFoundError:
                continue
    archive.seek(0)
    return archive
