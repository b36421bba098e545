"""Pages of the Verwendungsnachweis for applicants and staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import permissions as account_permissions
from accounts.decorators import requires
from kitz_portal.errors import PortalError
from kitz_portal.uploads import private_file_response

from . import permissions, selectors, usage_reports
from .models import ApplicationStatus
from .usage_forms import (
    ReceiptForm,
    ReceiptImportForm,
    UsageAttachmentForm,
    UsageCheckForm,
    UsageReportForm,
)
from .usage_models import UsageAttachment

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _approved_for_member(request, pk):
    application = selectors.application_for_member(request.user, pk)
    if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.CLOSED):
        raise Http404
    return application


def _page(request, application, **forms):
    report = usage_reports.usage_report_for(application)
    context = {
        "application": application,
        "report": report,
        "receipts": report.receipts.select_related("category"),
        "comparison": usage_reports.cost_comparison(report),
        "report_form": UsageReportForm(
            initial={
                "activities": report.activities,
                "participants": report.participants,
                "publicity": report.publicity,
            }
        ),
        "receipt_form": ReceiptForm(programme=application.programme),
        "import_form": ReceiptImportForm(),
        "attachments": report.attachments.all(),
        "attachment_form": UsageAttachmentForm(),
    }
    context.update(forms)
    return render(request, "applications/usage/report.html", context)


def _apply_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def usage_report(request, pk):
    application = _approved_for_member(request, pk)
    if request.method != "POST":
        return _page(request, application)
    form = UsageReportForm(request.POST)
    if form.is_valid():
        try:
            usage_reports.submit_usage_report(
                actor=request.user, application=application, **form.cleaned_data
            )
        except PortalError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Ihr Verwendungsnachweis ist beim KITZ eingegangen."))
            return redirect("applications:usage_report", pk=application.pk)
    return _page(request, application, report_form=form)


@require_POST
@login_required
def add_receipt(request, pk):
    application = _approved_for_member(request, pk)
    form = ReceiptForm(request.POST, programme=application.programme)
    if form.is_valid():
        try:
            usage_reports.add_receipt(
                actor=request.user, application=application, **form.cleaned_data
            )
        except PortalError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Der Beleg ist erfasst."))
            return redirect("applications:usage_report", pk=application.pk)
    return _page(request, application, receipt_form=form)


@require_POST
@login_required
def import_receipts(request, pk):
    application = _approved_for_member(request, pk)
    form = ReceiptImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("Die Datei ist größer als 5 MB."))
        elif not upload.name.lower().endswith((".csv", ".xlsx")):
            form.add_error("file", _("Bitte laden Sie eine CSV- oder XLSX-Datei hoch."))
        else:
            try:
                usage_reports.import_receipts(
                    actor=request.user,
                    application=application,
                    filename=upload.name,
                    data=upload.read(),
                )
            except usage_reports.ReceiptImportError as error:
                form.add_error("file", error.message)
                for problem in error.problems[:50]:
                    form.add_error("file", problem)
            except PortalError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("Die Belegliste ist übernommen."))
                return redirect("applications:usage_report", pk=application.pk)
    return _page(request, application, import_form=form)


@login_required
def receipts_template(request, pk, file_format):
    _approved_for_member(request, pk)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    return usage_reports.receipts_template(file_format)


@require_POST
@login_required
def upload_usage_attachment(request, pk):
    application = _approved_for_member(request, pk)
    form = UsageAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            usage_reports.add_usage_attachment(
                actor=request.user,
                application=application,
                upload=form.cleaned_data["file"],
                content_type=form.content_type,
                description=form.cleaned_data["description"],
            )
        except PortalError as error:
            if error.field not in form.fields:
                # The report is no longer open: the upload form is not on the page any more.
                messages.error(request, error.message)
                return redirect("applications:usage_report", pk=application.pk)
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Die Anlage wurde hochgeladen."))
            return redirect("applications:usage_report", pk=application.pk)
    return _page(request, application, attachment_form=form)


@require_POST
@login_required
def delete_usage_attachment(request, pk, attachment_id):
    application = _approved_for_member(request, pk)
    try:
        deleted = usage_reports.delete_usage_attachment(
            actor=request.user, application=application, attachment_id=attachment_id
        )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        if not deleted:
            raise Http404
        messages.success(request, _("Die Anlage wurde entfernt."))
    return redirect("applications:usage_report", pk=application.pk)


@login_required
def download_usage_attachment(request, pk, attachment_id):
    """Private: the organisation's members and the KITZ staff, nobody else."""
    application = selectors.application_for_viewer(request.user, pk)
    if not permissions.can_view_application(request.user, application):
        raise Http404
    attachment = get_object_or_404(
        UsageAttachment, report__application=application, pk=attachment_id
    )
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_check_usage_report(request, pk):
    from .views import _case_page

    application = selectors.case_for_staff(request.user, pk)
    form = UsageCheckForm(request.POST)
    if form.is_valid():
        try:
            usage_reports.check_usage_report(
                actor=request.user,
                application=application,
                answers=form.answers(),
                remarks=form.cleaned_data["remarks"],
            )
        except PortalError as error:
            if error.field not in form.fields:
                # Not about the input (e.g. someone else was quicker): the form may be gone.
                messages.error(request, error.message)
                return redirect("applications:staff_case", pk=application.pk)
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, _("Die Prüfung ist gespeichert; eine zweite Person bestätigt.")
            )
            return redirect("applications:staff_case", pk=application.pk)
    return _case_page(request, application, usage_check_form=form)


@require_POST
@requires(account_permissions.has_signing_authority)
def staff_confirm_usage_report(request, pk):
    application = selectors.case_for_staff(request.user, pk)
    try:
        usage_reports.confirm_usage_report(actor=request.user, application=application)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Der Verwendungsnachweis ist anerkannt, der Fall abgeschlossen.")
        )
    return redirect("applications:staff_case", pk=application.pk)
