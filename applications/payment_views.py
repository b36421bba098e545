"""Pages of the Mittelabruf: the applicant's request, the staff check and release, the export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import permissions as account_permissions
from accounts.decorators import requires
from kitz_portal.errors import PortalError

from . import payments, selectors
from .payment_forms import PaymentCheckForm, PaymentPaidForm, PaymentRequestForm
from .payment_models import PaymentRequest


@login_required
def request_payment(request, pk):
    application = selectors.application_for_member(request.user, pk)
    form = PaymentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payments.request_payment(
                actor=request.user, application=application, **form.cleaned_data
            )
        except PortalError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Ihr Mittelabruf ist beim KITZ eingegangen."))
            return redirect("applications:request_payment", pk=application.pk)
    return render(
        request,
        "applications/payments/request.html",
        {
            "application": application,
            "form": form,
            "payment_requests": selectors.payment_requests_of_case(application),
            "available": payments.available_amount(application),
            "paid": payments.paid_amount(application),
        },
    )


def _staff_payment(request, pk, payment_id):
    application = selectors.case_for_staff(request.user, pk)
    return get_object_or_404(PaymentRequest, application=application, pk=payment_id)


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_check_payment(request, pk, payment_id):
    payment = _staff_payment(request, pk, payment_id)
    form = PaymentCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie das Ergebnis der Prüfung."))
    else:
        try:
            payments.check_payment_request(
                actor=request.user,
                payment=payment,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Die Prüfung des Mittelabrufs ist gespeichert."))
    return redirect("applications:staff_case", pk=pk)


@require_POST
@requires(account_permissions.has_signing_authority)
def staff_release_payment(request, pk, payment_id):
    payment = _staff_payment(request, pk, payment_id)
    try:
        payments.release_payment_request(actor=request.user, payment=payment)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Der Mittelabruf ist zur Auszahlung freigegeben."))
    return redirect("applications:staff_case", pk=pk)


@requires(account_permissions.is_kitz_staff)
def staff_payouts(request):
    return render(
        request,
        "applications/payments/payouts.html",
        {
            "payment_requests": list(payments.payments_for_treasury()),
            "paid_form": PaymentPaidForm(initial={"paid_on": timezone.localdate()}),
        },
    )


@requires(account_permissions.is_kitz_staff)
def staff_payouts_export(request, file_format):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    rows = payments.payments_for_treasury()
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    if file_format == "xlsx":
        response = HttpResponse(
            payments.treasury_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(payments.treasury_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="KITZ-Auszahlungen-{stamp}.{file_format}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_mark_paid(request, payment_id):
    payment = get_object_or_404(PaymentRequest.objects.select_related("application"), pk=payment_id)
    form = PaymentPaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie das Auszahlungsdatum als TT.MM.JJJJ an."))
    else:
        try:
            payments.mark_payment_paid(
                actor=request.user, payment=payment, paid_on=form.cleaned_data["paid_on"]
            )
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Die Auszahlung ist vermerkt."))
    return redirect("applications:staff_payouts")
