from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts import permissions as account_permissions
from accounts.decorators import requires
from accounts.models import Organisation
from kitz_portal.errors import PortalError
from kitz_portal.uploads import private_file_response

from . import permissions, selectors, services
from .forms import (
    AnswerForm,
    AssignForm,
    AttachmentForm,
    CaseMessageForm,
    CostItemForm,
    DecisionForm,
    DeclarationsForm,
    EligibilityForm,
    FinancingForm,
    InformationRequestForm,
    InternalNoteForm,
    ProjectForm,
    ProposalForm,
    ReviewForm,
    ThirdPartyFundsForm,
    WithdrawForm,
)
from .models import ApplicationStatus, Attachment, CostOutcome, FinancingType, FundingProgramme
from .payment_forms import PaymentCheckForm, with_forms
from .payment_models import PaymentStatus
from .pdf import render_application_pdf
from .rules import financing_summary, required_attachment_checklist, submission_findings
from .usage_forms import UsageCheckForm
from .wizard import money_summary_rows, next_step, status_in_words, step_states


def _form_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def applied(request, form, service, *, success, **arguments):
    """Hand a posted, valid form's data to ``service``: True once it is done and the person is
    told so; False when the form or the service refused (the reason then stands at the field)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        service(actor=request.user, **arguments, **form.cleaned_data)
    except PortalError as error:
        _form_error(form, error)
        return False
    messages.success(request, success)
    return True


def _draft_or_detail(request, pk):
    """The member's application; a submitted one is shown read-only instead of the step."""
    application = selectors.application_for_member(request.user, pk)
    if not application.is_draft:
        return application, redirect("applications:detail", pk=application.pk)
    return application, None


def _wizard_page(request, application, step, template, context):
    findings = submission_findings(application)
    context.update(
        {
            "application": application,
            "programme": application.programme,
            "steps": step_states(application, findings),
            "current_step": step,
        }
    )
    return render(request, template, context)


@login_required
def dashboard(request):
    applications = list(selectors.applications_of_member(request.user))
    rows = [
        {
            "application": application,
            "status_text": status_in_words(application),
            "next_step": next_step(application),
        }
        for application in applications
    ]
    return render(
        request,
        "applications/dashboard.html",
        {"rows": rows, "has_organisation": request.user.memberships.exists()},
    )


@login_required
def programmes(request):
    if not request.user.memberships.exists():
        messages.info(
            request, _("Bitte legen Sie zuerst Ihre Organisation an oder treten Sie ihr bei.")
        )
        return redirect("accounts:organisation_create")
    items = [
        {"programme": programme, "remaining": programme.budget - (programme.committed or 0)}
        for programme in selectors.open_programmes()
    ]
    return render(request, "applications/programmes.html", {"items": items})


def guideline_document(request, pk):
    """The current Leitfaden PDF of a published programme: public, and nothing else is."""
    programme = get_object_or_404(FundingProgramme, pk=pk, is_published=True)
    if not programme.guideline_document:
        raise Http404
    try:
        handle = programme.guideline_document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"Leitfaden-{slugify(programme.title)}-{programme.budget_year}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A replaced file must reach the next visitor, so caches revalidate every time.
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def eligibility(request, programme_id):
    programme = get_object_or_404(
        FundingProgramme.objects.select_related("guideline"), pk=programme_id
    )
    if not programme.is_open():
        raise Http404
    organisations = Organisation.objects.filter(memberships__user=request.user).order_by("name")
    if not organisations.exists():
        return redirect("accounts:organisation_create")
    criteria = selectors.eligibility_criteria(programme)
    form = EligibilityForm(
        request.POST or None,
        criteria=criteria,
        organisations=organisations,
        initial={"organisation": organisations.first()},
    )
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        excluded = services.excluding_criteria(programme=programme, answers=answers)
        if excluded:
            return render(
                request,
                "applications/not_eligible.html",
                {"programme": programme, "criteria": excluded},
            )
        try:
            application = services.start_application(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                programme=programme,
                answers=answers,
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Ihr Vorhaben kann gefördert werden. Wir haben einen Entwurf angelegt."),
            )
            return redirect("applications:step_project", pk=application.pk)
    return render(request, "applications/eligibility.html", {"programme": programme, "form": form})


@login_required
def step_project(request, pk):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    form = ProjectForm(request.POST or None, instance=application, programme=application.programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        handlungsfelder = data.pop("handlungsfelder")
        try:
            services.update_project(
                actor=request.user,
                application=application,
                handlungsfelder=handlungsfelder,
                **data,
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Angaben zum Projekt wurden gespeichert."))
            return redirect("applications:step_costs", pk=application.pk)
    if request.method == "POST":
        application.refresh_from_db()
    return _wizard_page(
        request, application, "project", "applications/step_project.html", {"form": form}
    )


@login_required
def step_costs(request, pk):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    programme = application.programme
    form = CostItemForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_cost_item(actor=request.user, application=application, **form.cleaned_data)
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Kostenposition wurde hinzugefügt."))
            return redirect("applications:step_costs", pk=application.pk)
    cost_items = list(application.cost_items.select_related("category"))
    return _wizard_page(
        request,
        application,
        "costs",
        "applications/step_costs.html",
        {
            "form": form,
            "cost_items": cost_items,
            "total": sum((item.total for item in cost_items), 0),
            "eligible_categories": programme.eligible_cost_categories.all(),
        },
    )


@require_POST
@login_required
def delete_cost_item(request, pk, item_id):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    if not services.delete_cost_item(actor=request.user, application=application, item_id=item_id):
        raise Http404
    messages.success(request, _("Die Kostenposition wurde entfernt."))
    return redirect("applications:step_costs", pk=application.pk)


@login_required
def step_financing(request, pk):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    programme = application.programme
    action = request.POST.get("action") if request.method == "POST" else None
    plan_form = FinancingForm(
        request.POST if action == "plan" else None,
        programme=programme,
        initial={
            "own_funds": application.own_funds,
            "volunteer_hours": application.volunteer_hours,
            "requested_amount": application.requested_amount
            if application.financing_saved
            else None,
        },
        prefix="plan",
    )
    funds_form = ThirdPartyFundsForm(request.POST if action == "funds" else None, prefix="funds")
    if action == "plan" and plan_form.is_valid():
        services.save_financing(
            actor=request.user, application=application, **plan_form.cleaned_data
        )
        application.refresh_from_db()
        if financing_summary(application).is_ok:
            messages.success(request, _("Der Finanzierungsplan wurde gespeichert."))
            return redirect("applications:step_attachments", pk=application.pk)
        messages.warning(
            request,
            _("Der Finanzierungsplan wurde gespeichert, erfüllt aber noch nicht alle Regeln."),
        )
        return redirect("applications:step_financing", pk=application.pk)
    if action == "funds" and funds_form.is_valid():
        services.add_third_party_funds(
            actor=request.user, application=application, **funds_form.cleaned_data
        )
        messages.success(request, _("Die Drittmittel wurden hinzugefügt."))
        return redirect("applications:step_financing", pk=application.pk)
    summary = financing_summary(application)
    return _wizard_page(
        request,
        application,
        "financing",
        "applications/step_financing.html",
        {
            "plan_form": plan_form,
            "funds_form": funds_form,
            "summary": summary,
            "summary_rows": money_summary_rows(summary),
            "financing_items": application.financing_items.all(),
        },
    )


@require_POST
@login_required
def delete_financing_item(request, pk, item_id):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    if not services.delete_financing_item(
        actor=request.user, application=application, item_id=item_id
    ):
        raise Http404
    messages.success(request, _("Die Drittmittel wurden entfernt."))
    return redirect("applications:step_financing", pk=application.pk)


@login_required
def step_attachments(request, pk):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attachment(
                actor=request.user,
                application=application,
                upload=form.cleaned_data["file"],
                content_type=form.content_type,
                description=form.cleaned_data["description"],
                kind=form.cleaned_data["kind"],
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Anlage wurde hochgeladen."))
            return redirect("applications:step_attachments", pk=application.pk)
    attachments = list(application.attachments.select_related("kind"))
    return _wizard_page(
        request,
        application,
        "attachments",
        "applications/step_attachments.html",
        {
            "form": form,
            "attachments": attachments,
            "checklist": required_attachment_checklist(application, attachments),
        },
    )


@require_POST
@login_required
def delete_attachment(request, pk, attachment_id):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    if not services.delete_attachment(
        actor=request.user, application=application, attachment_id=attachment_id
    ):
        raise Http404
    messages.success(request, _("Die Anlage wurde entfernt."))
    return redirect("applications:step_attachments", pk=application.pk)


@login_required
def download_attachment(request, pk, attachment_id):
    application = selectors.application_for_viewer(request.user, pk)
    if not permissions.can_view_application(request.user, application):
        raise Http404
    attachment = get_object_or_404(Attachment, application=application, pk=attachment_id)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def step_declarations(request, pk):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    criteria = selectors.declaration_criteria(application.programme)
    confirmed = set(application.confirmed_declarations or [])
    form = DeclarationsForm(
        request.POST or None,
        criteria=criteria,
        initial={code: True for code in confirmed},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_declarations(
                actor=request.user, application=application, codes=form.codes()
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Ihre Erklärungen wurden gespeichert."))
            return redirect("applications:summary", pk=application.pk)
    return _wizard_page(
        request,
        application,
        "declarations",
        "applications/step_declarations.html",
        {"form": form},
    )


@login_required
def summary(request, pk):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    detail = selectors.application_detail(application)
    plan = financing_summary(
        application,
        cost_items=detail["cost_items"],
        financing_items=detail["financing_items"],
    )
    return _wizard_page(
        request,
        application,
        "summary",
        "applications/summary.html",
        {
            **detail,
            "summary": plan,
            "summary_rows": money_summary_rows(plan),
            "findings": submission_findings(application),
            "declarations": selectors.declaration_criteria(application.programme),
        },
    )


@require_POST
@login_required
def submit(request, pk):
    application = selectors.application_for_member(request.user, pk)
    try:
        application = services.submit_application(actor=request.user, application=application)
    except PortalError as error:
        messages.error(request, error.message)
        if application.is_draft and error.field == "attachments":
            return redirect("applications:step_attachments", pk=application.pk)
        if application.is_draft:
            return redirect("applications:summary", pk=application.pk)
        return redirect("applications:detail", pk=application.pk)
    messages.success(
        request,
        _(
            "Ihr Antrag ist eingegangen. Ihr Aktenzeichen lautet %(reference)s. Alle Mitglieder "
            "Ihrer Organisation erhalten eine Eingangsbestätigung per E-Mail."
        )
        % {"reference": application.reference},
    )
    return redirect("applications:detail", pk=application.pk)


@login_required
def detail(request, pk):
    application = selectors.application_for_member(request.user, pk)
    detail = selectors.application_detail(application)
    plan = financing_summary(
        application,
        cost_items=detail["cost_items"],
        financing_items=detail["financing_items"],
    )
    return render(
        request,
        "applications/detail.html",
        {
            **detail,
            "application": application,
            "programme": application.programme,
            "summary": plan,
            "summary_rows": money_summary_rows(plan),
            "status_text": status_in_words(application),
            "next_step": next_step(application),
            **_applicant_revocation(application),
        },
    )


def _applicant_revocation(application):
    from . import revocation

    return revocation.revocation_of_case(application)


@login_required
def withdraw(request, pk):
    application = selectors.application_for_member(request.user, pk)
    if not application.can_be_withdrawn:
        messages.error(request, _("Dieser Antrag kann nicht mehr zurückgezogen werden."))
        return redirect("applications:detail", pk=application.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_application(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Der Antrag wurde zurückgezogen."))
            return redirect("applications:dashboard")
    return render(request, "applications/withdraw.html", {"application": application, "form": form})


@login_required
def delete(request, pk):
    application, done = _draft_or_detail(request, pk)
    if done:
        return done
    if request.method == "POST":
        services.delete_draft(actor=request.user, application=application)
        messages.success(request, _("Der Entwurf wurde gelöscht."))
        return redirect("applications:dashboard")
    return render(request, "applications/confirm_delete.html", {"application": application})


@require_POST
@login_required
def copy(request, pk):
    application = selectors.application_for_member(request.user, pk)
    try:
        new = services.copy_application(actor=request.user, application=application)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("applications:dashboard")
    messages.success(
        request,
        _("Wir haben einen neuen Entwurf als Kopie angelegt. Bitte prüfen Sie alle Angaben."),
    )
    return redirect("applications:step_project", pk=new.pk)


@login_required
def pdf(request, pk):
    application = selectors.application_for_viewer(request.user, pk)
    if not permissions.can_view_application(request.user, application):
        raise Http404
    content = render_application_pdf(application)
    response = HttpResponse(content, content_type="application/pdf")
    name = application.reference or f"Antrag-Entwurf-{application.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Review and decision ---------------------------------------------------------------------

QUEUE_PAGE_SIZE = 50


def _staff_case(request, pk):
    return selectors.case_for_staff(request.user, pk)


def _service_error(request, error, form=None):
    if form is not None:
        _form_error(form, error)
    else:
        messages.error(request, error.message)


QUEUE_COLUMNS = [
    ("reference", _lazy("Aktenzeichen")),
    ("title", _lazy("Projekt")),
    ("organisation", _lazy("Organisation")),
    ("status", _lazy("Status")),
    ("submitted_at", _lazy("eingereicht am")),
    ("requested_amount", _lazy("beantragt")),
    ("response_due_on", _lazy("Frist")),
]


def _sort_columns(request):
    """Column headers that sort by themselves; a second click reverses the order."""
    current = request.GET.get("ordering", "")
    columns = []
    for key, label in QUEUE_COLUMNS:
        query = request.GET.copy()
        query.pop("page", None)
        ascending = current == key
        query["ordering"] = f"-{key}" if ascending else key
        state = "ascending" if ascending else "descending" if current == f"-{key}" else ""
        columns.append({"label": label, "href": f"?{query.urlencode()}", "sort": state})
    return columns


@requires(account_permissions.is_kitz_staff)
def staff_queue(request):
    filterset = selectors.applications_for_staff_queue(user=request.user, data=request.GET)
    counts = selectors.status_counts_for_staff(request.user)
    page = selectors.staff_queue_page(
        filterset=filterset, counts=counts, number=request.GET.get("page"), per_page=QUEUE_PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/staff/queue.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "counts": counts,
            "columns": _sort_columns(request),
            "today": timezone.localdate(),
        },
    )


def _case_page(request, application, *, payment_check_form=None, **forms):
    """The staff case page; a form given by name is shown bound, with its messages."""
    detail = selectors.application_detail(application)
    plan = financing_summary(
        application, cost_items=detail["cost_items"], financing_items=detail["financing_items"]
    )
    staff = selectors.staff_for_assignment(application)
    context = {
        **detail,
        **selectors.case_detail(application),
        "application": application,
        "programme": application.programme,
        "summary": plan,
        "summary_rows": money_summary_rows(plan),
        "assign_form": AssignForm(
            staff=staff, initial={"assignee": application.assigned_to_id or request.user.pk}
        ),
        "note_form": InternalNoteForm(),
        "message_form": CaseMessageForm(),
        "can_decide": permissions.can_decide(request.user, application),
        "payment_requests": with_forms(
            selectors.payment_requests_of_case(application),
            form_class=PaymentCheckForm,
            attribute="check_form",
            statuses=[PaymentStatus.REQUESTED],
            bound=payment_check_form,
        ),
        "usage_check_form": UsageCheckForm(),
        "posting_form": None,
        "amendment_requests": selectors.amendment_requests_of_case(application),
        **selectors.usage_report_of_case(application),
        **_revocation_context(request, application),
    }
    context.update(forms)
    return render(request, "applications/staff/case.html", context)


def _revocation_context(request, application):
    from . import revocation
    from .revocation_forms import RepaymentReceiptForm

    return {
        **revocation.revocation_of_case(application),
        "can_start_hearing": revocation.can_start_hearing(application),
        "repayment_form": RepaymentReceiptForm(initial={"received_on": timezone.localdate()}),
        "today": timezone.localdate(),
    }


@requires(account_permissions.is_kitz_staff)
def staff_case(request, pk):
    return _case_page(request, _staff_case(request, pk))


def _case_form_action(request, pk, *, form_class, form_name, perform, success, form_kwargs=None):
    """One form of the case page: valid input runs the service, invalid input shows the page."""
    application = _staff_case(request, pk)
    form = form_class(request.POST, **(form_kwargs(application) if form_kwargs else {}))
    if form.is_valid():
        try:
            perform(application, form.cleaned_data)
        except PortalError as error:
            _service_error(request, error)
        else:
            messages.success(request, success)
        return redirect("applications:staff_case", pk=application.pk)
    return _case_page(request, application, **{form_name: form})


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_assign(request, pk):
    return _case_form_action(
        request,
        pk,
        form_class=AssignForm,
        form_name="assign_form",
        form_kwargs=lambda application: {"staff": selectors.staff_for_assignment(application)},
        perform=lambda application, data: services.assign_application(
            actor=request.user, application=application, assignee=data["assignee"]
        ),
        success=_("Die Zuständigkeit wurde gespeichert."),
    )


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_note(request, pk):
    return _case_form_action(
        request,
        pk,
        form_class=InternalNoteForm,
        form_name="note_form",
        perform=lambda application, data: services.add_internal_note(
            actor=request.user, application=application, text=data["text"]
        ),
        success=_("Die Notiz wurde gespeichert."),
    )


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_message(request, pk):
    return _case_form_action(
        request,
        pk,
        form_class=CaseMessageForm,
        form_name="message_form",
        perform=lambda application, data: services.send_case_message(
            actor=request.user, application=application, text=data["text"]
        ),
        success=_("Die Nachricht wurde an die Antragstellenden gesendet."),
    )


@requires(account_permissions.is_kitz_staff)
def staff_request_information(request, pk):
    application = _staff_case(request, pk)
    form = InformationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_information(
                actor=request.user, application=application, **form.cleaned_data
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Rückfrage wurde gesendet."))
            return redirect("applications:staff_case", pk=application.pk)
    return render(
        request,
        "applications/staff/request_information.html",
        {"application": application, "form": form},
    )


def _review_form(application, data=None):
    from .models import CriterionKind, Review

    criteria = (
        application.guideline.criteria.filter(kind=CriterionKind.REVIEW).order_by("order")
        if application.guideline
        else []
    )
    cost_items = application.cost_items.select_related("category")
    review = (
        Review.objects.prefetch_related("items", "cost_decisions")
        .filter(application=application)
        .first()
    )
    initial = {"financing_type": FinancingType.DEFICIT}
    if review is not None:
        initial.update(
            {
                "is_complete": review.is_complete,
                "is_in_time": review.is_in_time,
                "is_eligible_applicant": review.is_eligible_applicant,
                "formal_remark": review.formal_remark,
                "financing_type": review.financing_type,
            }
        )
        for item in review.items.all():
            initial[f"criterion_{item.criterion_id}"] = item.outcome
            initial[f"criterion_{item.criterion_id}_remark"] = item.remark
        for decision in review.cost_decisions.all():
            initial[f"cost_{decision.cost_item_id}"] = decision.outcome
            initial[f"cost_{decision.cost_item_id}_reason"] = decision.reason
            if decision.outcome == CostOutcome.REDUCED:
                initial[f"cost_{decision.cost_item_id}_amount"] = decision.amount
    form = ReviewForm(data, criteria=criteria, cost_items=cost_items, initial=initial)
    return form, review


@requires(account_permissions.is_kitz_staff)
def staff_review(request, pk):
    application = _staff_case(request, pk)
    form, review = _review_form(application, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_review(
                actor=request.user, application=application, **form.service_arguments()
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Der Prüfvermerk wurde gespeichert."))
            return redirect("applications:staff_propose", pk=application.pk)
    return render(
        request,
        "applications/staff/review.html",
        {"application": application, "form": form, "review": review},
    )


@requires(account_permissions.is_kitz_staff)
def staff_propose(request, pk):
    from .models import Review

    application = _staff_case(request, pk)
    review = Review.objects.filter(application=application).first()
    if review is None:
        messages.error(request, _("Bitte speichern Sie zuerst den Prüfvermerk."))
        return redirect("applications:staff_review", pk=application.pk)
    initial = {
        "proposal": review.proposal or "approve",
        "amount": review.proposed_amount or review.computed_grant,
        "period_start": review.period_start or application.start_date,
        "period_end": review.period_end or application.end_date,
        "conditions": review.conditions,
        "rejection_reasons": review.rejection_reasons
        or "\n".join(
            f"{item.criterion.text_de} {item.remark}".strip()
            for item in review.items.select_related("criterion")
            if item.outcome == "not_met"
        ),
    }
    form = ProposalForm(request.POST or None, initial=initial)
    if applied(
        request,
        form,
        services.propose_decision,
        application=application,
        success=_("Der Vorschlag liegt jetzt einer zeichnungsbefugten Person vor."),
    ):
        return redirect("applications:staff_case", pk=application.pk)
    return render(
        request,
        "applications/staff/propose.html",
        {"application": application, "form": form, "review": review},
    )


@requires(account_permissions.has_signing_authority)
def staff_decide(request, pk):
    from .models import Review

    application = _staff_case(request, pk)
    review = Review.objects.select_related("reviewed_by").filter(application=application).first()
    if review is None or application.status != ApplicationStatus.RECOMMENDED:
        messages.error(request, _("Für diesen Antrag liegt kein Entscheidungsvorschlag vor."))
        return redirect("applications:staff_case", pk=application.pk)
    form = DecisionForm(request.POST or None, proposal=review.proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_application(
                actor=request.user, application=application, **form.cleaned_data
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Ihre Entscheidung wurde gespeichert."))
            return redirect("applications:staff_case", pk=application.pk)
    return render(
        request,
        "applications/staff/decide.html",
        {
            "application": application,
            "form": form,
            "review": review,
            "is_reviewer": review.reviewed_by_id == request.user.pk
            or review.contributors.filter(pk=request.user.pk).exists(),
        },
    )


@requires(account_permissions.is_kitz_staff)
def staff_budget(request):
    return render(request, "applications/staff/budget.html", selectors.budget_overview())


@requires(permissions.can_see_outbox)
def staff_outbox(request):
    page = Paginator(selectors.outbox_for_staff(), 50).get_page(request.GET.get("page"))
    return render(request, "applications/staff/outbox.html", {"page": page})


@require_POST
@requires(permissions.can_see_outbox)
def staff_resend_notification(request, notification_id):
    from accounts.models import Notification

    notification = get_object_or_404(Notification, pk=notification_id)
    try:
        services.resend_notification(actor=request.user, notification=notification)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Die Nachricht wird erneut versandt."))
    return redirect("applications:staff_outbox")


@login_required
def answer_information_request(request, pk):
    application = selectors.application_for_member(request.user, pk)
    open_request = selectors.messages_for_applicant(application)["open_request"]
    if open_request is None:
        messages.info(request, _("Es gibt keine offene Rückfrage zu diesem Antrag."))
        return redirect("applications:detail", pk=application.pk)
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_information_request(
                actor=request.user,
                application=application,
                answer=form.cleaned_data["answer"],
                uploads=form.uploads(),
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Vielen Dank, Ihre Antwort ist beim KITZ eingegangen."))
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/answer.html",
        {"application": application, "form": form, "open_request": open_request},
    )


@require_POST
@login_required
def applicant_message(request, pk):
    application = selectors.application_for_member(request.user, pk)
    form = CaseMessageForm(request.POST)
    if form.is_valid():
        try:
            services.send_case_message(
                actor=request.user, application=application, text=form.cleaned_data["text"]
            )
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Ihre Nachricht wurde an das KITZ gesendet."))
    else:
        messages.error(request, _("Bitte schreiben Sie eine Nachricht."))
    return redirect("applications:detail", pk=application.pk)
