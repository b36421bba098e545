"""Pages of the Widerruf: Anhörung, Stellungnahme, four-eyes decision and Rückforderung."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import permissions as account_permissions
from accounts.decorators import requires
from kitz_portal.errors import PortalError
from kitz_portal.uploads import private_file_response

from . import revocation, selectors, usage_reports
from .payments import paid_amount
from .permissions import can_work_on_case, is_applicant_for
from .revocation_forms import (
    HearingAnswerForm,
    HearingForm,
    RepaymentReceiptForm,
    RevocationDecisionForm,
    RevocationProposalForm,
)
from .revocation_models import RevocationProcedure, RevocationStatus
from .views import _form_error, applied


@requires(account_permissions.is_kitz_staff)
def staff_start_hearing(request, pk):
    application = selectors.case_for_staff(request.user, pk)
    today = timezone.localdate()
    form = HearingForm(
        request.POST or None,
        initial={
            "scope": "full",
            "answer_due_on": today + timedelta(days=revocation.ANSWER_DAYS_DEFAULT),
        },
    )
    if applied(
        request,
        form,
        revocation.start_hearing,
        application=application,
        success=_("Die Anhörung ist eingeleitet; die Antragstellenden sind informiert."),
    ):
        return redirect("applications:staff_case", pk=application.pk)
    return render(
        request,
        "applications/revocation/start.html",
        {
            "application": application,
            "form": form,
            "paid": paid_amount(application),
            "can_start": revocation.can_start_hearing(application),
        },
    )


def _open_procedure_or_case(request, application, status):
    procedure = revocation.open_procedure(application)
    if procedure is None or procedure.status != status:
        messages.info(request, _("Dieser Schritt steht im Widerrufsverfahren gerade nicht an."))
        return None
    return procedure


@requires(account_permissions.is_kitz_staff)
def staff_propose_revocation(request, pk):
    application = selectors.case_for_staff(request.user, pk)
    procedure = _open_procedure_or_case(request, application, RevocationStatus.HEARING)
    if procedure is None:
        return redirect("applications:staff_case", pk=application.pk)
    form = RevocationProposalForm(
        request.POST or None,
        initial={"outcome": "revoke", "amount": procedure.intended_amount},
    )
    if applied(
        request,
        form,
        revocation.propose_revocation,
        application=application,
        success=_("Der Vorschlag liegt jetzt einer zeichnungsbefugten Person vor."),
    ):
        return redirect("applications:staff_case", pk=application.pk)
    return render(
        request,
        "applications/revocation/propose.html",
        {
            "application": application,
            "procedure": procedure,
            "form": form,
            "paid": paid_amount(application),
            "ready": procedure.ready_for_proposal(),
        },
    )


@requires(account_permissions.has_signing_authority)
def staff_decide_revocation(request, pk):
    application = selectors.case_for_staff(request.user, pk)
    procedure = _open_procedure_or_case(request, application, RevocationStatus.PROPOSED)
    if procedure is None:
        return redirect("applications:staff_case", pk=application.pk)
    form = RevocationDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            revocation.decide_revocation(
                actor=request.user,
                application=application,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Ihre Entscheidung ist gespeichert.")
                if approve
                else _("Der Vorschlag ist zur Überarbeitung zurückgegeben."),
            )
            return redirect("applications:staff_case", pk=application.pk)
    return render(
        request,
        "applications/revocation/decide.html",
        {
            "application": application,
            "procedure": procedure,
            "form": form,
            "is_proposer": procedure.proposed_by_id == request.user.pk,
            "interest_rule": revocation.interest_rule(
                application.programme.repayment_interest_points
            ),
        },
    )


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_record_repayment(request, pk):
    from .views import _case_page

    application = selectors.case_for_staff(request.user, pk)
    form = RepaymentReceiptForm(request.POST)
    if applied(
        request,
        form,
        revocation.record_repayment,
        application=application,
        success=_("Der Zahlungseingang ist verbucht."),
    ):
        return redirect("applications:staff_case", pk=application.pk)
    return _case_page(request, application, repayment_form=form)


@requires(account_permissions.is_kitz_staff)
def staff_repayments(request):
    return render(
        request,
        "applications/revocation/repayments.html",
        {"rows": revocation.repayments_for_staff()},
    )


@require_POST
@requires(account_permissions.has_signing_authority)
def staff_usage_report_repayment(request, pk):
    """The check of the Verwendungsnachweis ends in "Rückforderung nötig": on to the Anhörung."""
    application = selectors.case_for_staff(request.user, pk)
    try:
        usage_reports.confirm_usage_report(
            actor=request.user, application=application, repayment_needed=True
        )
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("applications:staff_case", pk=application.pk)
    messages.success(
        request,
        _(
            "Das Prüfergebnis ist bestätigt: Rückforderung nötig. Bitte leiten Sie die "
            "Anhörung ein."
        ),
    )
    return redirect("applications:staff_start_hearing", pk=application.pk)


@login_required
def hearing_letter(request, pk, procedure_id):
    """The Anhörungsschreiben for the applicant's members and the KITZ staff on the case."""
    procedure = get_object_or_404(
        RevocationProcedure.objects.select_related("application", "application__organisation"),
        pk=procedure_id,
        application_id=pk,
    )
    application = procedure.application
    if not (
        is_applicant_for(request.user, application) or can_work_on_case(request.user, application)
    ):
        raise Http404
    return private_file_response(
        procedure.hearing_file,
        filename=procedure.hearing_download_name,
        content_type="application/pdf",
    )


@login_required
def answer_hearing(request, pk):
    application = selectors.application_for_member(request.user, pk)
    procedure = (
        RevocationProcedure.objects.filter(application=application, status=RevocationStatus.HEARING)
        .order_by("-started_at")
        .first()
    )
    if procedure is None:
        messages.info(request, _("Zu diesem Antrag läuft keine Anhörung."))
        return redirect("applications:detail", pk=application.pk)
    form = HearingAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            revocation.answer_hearing(
                actor=request.user,
                application=application,
                answer=form.cleaned_data["answer"],
                upload=form.cleaned_data["file"],
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Vielen Dank, Ihre Stellungnahme ist beim KITZ eingegangen.")
            )
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/revocation/answer.html",
        {"application": application, "procedure": procedure, "form": form},
    )
