"""Pages of the Änderungsantrag: the applicant's request, the staff review and decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import permissions as account_permissions
from accounts.decorators import requires
from kitz_portal.errors import PortalError

from . import amendments, permissions, selectors
from .amendment_forms import (
    AmendmentDecisionForm,
    AmendmentForm,
    AmendmentLineFormSet,
    AmendmentReviewForm,
)
from .amendment_models import AmendmentStatus
from .amendments import CostLine


def _initial(application):
    values = amendments.current_values(application)
    form_initial = {key: values[key] for key in ("new_start", "new_end", "new_amount")}
    lines = [
        {
            "cost_item_id": line.cost_item_id,
            "category": line.category.pk,
            "description": line.description,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
        }
        for line in values["lines"]
    ]
    return form_initial, lines


def _lines(formset):
    return [
        CostLine(
            category=data["category"],
            description=data["description"],
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            cost_item_id=data.get("cost_item_id"),
        )
        for data in (line.cleaned_data for line in formset.forms)
        if data and not data.get("DELETE")
    ]


def _show_error(error, form, formset):
    field = error.field or ""
    if field.startswith("line-"):
        _prefix, index, name = field.split("-", 2)
        kept = [line for line in formset.forms if not line.cleaned_data.get("DELETE")]
        kept = [line for line in kept if line.cleaned_data]
        kept[int(index)].add_error(name, error.message)
    elif field == "cost_lines":
        formset._non_form_errors = formset.error_class([error.message])
    else:
        form.add_error(field if field in form.fields else None, error.message)


@login_required
def request_amendment(request, pk):
    application = selectors.application_for_member(request.user, pk)
    refusal = amendments.amendment_refusal(application)
    form = formset = None
    if refusal is None:
        initial, lines = _initial(application)
        form = AmendmentForm(request.POST or None, initial=initial)
        formset = AmendmentLineFormSet(request.POST or None, initial=lines, prefix="lines")
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            try:
                amendments.request_amendment(
                    actor=request.user,
                    application=application,
                    lines=_lines(formset),
                    **form.cleaned_data,
                )
            except PortalError as error:
                _show_error(error, form, formset)
            else:
                messages.success(request, _("Ihr Änderungsantrag ist beim KITZ eingegangen."))
                return redirect("applications:request_amendment", pk=application.pk)
    return render(
        request,
        "applications/amendments/request.html",
        {
            "application": application,
            "refusal": refusal,
            "form": form,
            "formset": formset,
            "amendment_requests": selectors.amendment_requests_of_case(application),
        },
    )


@requires(account_permissions.is_kitz_staff)
def staff_amendment(request, pk, amendment_id):
    application = selectors.case_for_staff(request.user, pk)
    amendment = get_object_or_404(
        selectors.amendment_requests_of_case(application), pk=amendment_id
    )
    review_form = decision_form = None
    if amendment.status == AmendmentStatus.REQUESTED:
        review_form = AmendmentReviewForm(request.POST or None)
    elif amendment.status == AmendmentStatus.PROPOSED:
        decision_form = AmendmentDecisionForm(request.POST or None)
    form = review_form or decision_form
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            if review_form is not None:
                amendments.review_amendment(
                    actor=request.user, amendment=amendment, **form.cleaned_data
                )
                success = _("Der Prüfvermerk ist gespeichert; entscheiden muss eine zweite Person.")
            else:
                amendments.decide_amendment(
                    actor=request.user, amendment=amendment, **form.cleaned_data
                )
                success = _("Die Entscheidung über den Änderungsantrag ist gespeichert.")
        except PortalError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, success)
            return redirect("applications:staff_case", pk=application.pk)
    return render(
        request,
        "applications/staff/amendment.html",
        {
            "application": application,
            "amendment": amendment,
            "review_form": review_form,
            "decision_form": decision_form,
            "can_decide": permissions.can_decide(request.user, application)
            and amendment.reviewed_by_id != request.user.pk,
            "remaining_budget": amendments.remaining_budget(application.programme),
            "old_lines": amendment.old_cost_items,
            "new_lines": list(amendment.cost_lines.all()),
        },
    )
