"""Pages of the Mittelabruf: the applicant's request, the staff check and release, the export."""

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

from . import payments, selectors
from .payment_forms import PaymentCheckForm, PaymentPaidForm, PaymentRequestForm, with_forms
from .payment_models import PaymentRequest, PaymentStatus


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
    from .views import _case_page

    payment = _staff_payment(request, pk, payment_id)
    form = PaymentCheckForm(request.POST, payment_id=payment.pk)
    if form.is_valid():
        try:
            payments.check_payment_request(
                actor=request.user,
                payment=payment,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except PortalError as error:
            if error.field not in form.fields:
                # Not about the input (e.g. someone else was quicker): the form may be gone.
                messages.error(request, error.message)
                return redirect("applications:staff_case", pk=pk)
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Die Prüfung des Mittelabrufs ist gespeichert."))
            return redirect("applications:staff_case", pk=pk)
    return _case_page(request, payment.application, payment_check_form=form)


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


def _payouts_page(request, bound=None):
    rows = with_forms(
        payments.payments_for_treasury(),
        form_class=PaymentPaidForm,
        attribute="paid_form",
        statuses=[PaymentStatus.RELEASED],
        bound=bound,
        initial={"paid_on": timezone.localdate()},
    )
    return render(
        request,
        "applications/payments/payouts.html",
        {"payment_requests": rows, "error_form": bound},
    )


@requires(account_permissions.is_kitz_staff)
def staff_payouts(request):
    return _payouts_page(request)


@requires(account_permissions.is_kitz_staff)
def staff_payouts_export(request, file_format):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    return payments.treasury_export(file_format, payments.payments_for_treasury())


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_mark_paid(request, payment_id):
    payment = get_object_or_404(PaymentRequest.objects.select_related("application"), pk=payment_id)
    form = PaymentPaidForm(request.POST, payment_id=payment.pk)
    if form.is_valid():
        try:
            payments.mark_payment_paid(
                actor=request.user, payment=payment, paid_on=form.cleaned_data["paid_on"]
            )
        except PortalError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Die Auszahlung ist vermerkt."))
            return redirect("applications:staff_payouts")
    return _payouts_page(request, bound=form)
