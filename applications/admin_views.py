from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.decorators import requires
from kitz_portal.errors import PortalError

from . import admin_selectors, admin_services, annual_report, exports
from . import letter_texts as letter_texts_service
from .admin_forms import (
    AttachmentKindForm,
    BudgetChangeForm,
    CriterionForm,
    GuidelineDocumentForm,
    LetterTextForm,
    ProgrammeCopyForm,
    ProgrammeForm,
)
from .admin_services import initial_budget
from .models import FundingProgramme, Guideline, GuidelineCriterion, TextBlockKey
from .selectors import applications_for_staff_queue
from .services import committed_amount
from .statistics import applications_for_statistics, statistics_for

EXPORT_FORMATS = ("csv", "xlsx")


@requires(permissions.is_administrator)
def overview(request):
    return render(request, "administration/overview.html")


@requires(permissions.may_view_statistics)
def statistics(request):
    filterset = applications_for_statistics(user=request.user, data=request.GET)
    return render(
        request,
        "administration/statistics.html",
        {
            "filter": filterset,
            "figures": statistics_for(filterset.qs),
            "query": request.GET.urlencode(),
        },
    )


def _export_name(prefix):
    return f"{prefix}-{timezone.localdate():%Y-%m-%d}"


@requires(permissions.may_view_statistics)
def statistics_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filterset = applications_for_statistics(user=request.user, data=request.GET)
    return exports.export_response(
        fmt=fmt,
        filename=_export_name("kitz-auswertung"),
        sheets=exports.statistics_sheets(statistics_for(filterset.qs)),
    )


@requires(permissions.may_view_statistics)
def statistics_report(request):
    filterset = applications_for_statistics(user=request.user, data=request.GET)
    pdf = annual_report.render_annual_report_pdf(
        figures=statistics_for(filterset.qs), filterset=filterset
    )
    cleaned = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{annual_report.report_file_name(cleaned)}"'
    )
    return response


@requires(permissions.is_kitz_staff)
def queue_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filterset = applications_for_staff_queue(user=request.user, data=request.GET)
    if fmt == "xlsx":
        count = filterset.qs.count()
        if count > exports.XLSX_MAX_ROWS:
            messages.error(
                request,
                _(
                    "Die Auswahl umfasst %(count)s Anträge. Eine Excel-Datei (XLSX) fasst hier "
                    "höchstens %(limit)s Zeilen: Bitte laden Sie die Auswahl als CSV-Datei "
                    "herunter oder schränken Sie die Filter ein."
                )
                % {
                    "count": number_format(count, force_grouping=True),
                    "limit": number_format(exports.XLSX_MAX_ROWS, force_grouping=True),
                },
            )
            query = request.GET.urlencode()
            return redirect(reverse("applications:staff_queue") + (f"?{query}" if query else ""))
    return exports.export_response(
        fmt=fmt,
        filename=_export_name("kitz-eingang"),
        sheets=[("Eingang", exports.queue_header(), exports.queue_rows(filterset.qs))],
    )


# Programmes -------------------------------------------------------------------------------


def _form_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@requires(permissions.is_administrator)
def programmes(request):
    return render(
        request,
        "administration/programmes.html",
        {"programmes": admin_selectors.programmes_for_administration()},
    )


@requires(permissions.is_administrator)
def programme_copy(request, pk):
    source = get_object_or_404(FundingProgramme, pk=pk)
    initial = {
        "title": source.title,
        "budget_year": source.budget_year + 1,
        "opens_on": _next_year(source.opens_on),
        "closes_on": _next_year(source.closes_on),
        "budget": initial_budget(source),
    }
    form = ProgrammeCopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme = admin_services.copy_programme(
                actor=request.user, source=source, **form.cleaned_data
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Das Förderprogramm wurde angelegt. Es ist noch nicht veröffentlicht."),
            )
            return redirect("administration:programme_edit", pk=programme.pk)
    return render(request, "administration/programme_copy.html", {"form": form, "source": source})


def _next_year(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


PROGRAMME_PAGE_ACTIONS = ("programme", "attachment_kind", "document", "remove_document")


@requires(permissions.is_administrator)
def programme_edit(request, pk):
    """The programme's rules, its required attachments and its Leitfaden PDF on one page."""
    programme = get_object_or_404(FundingProgramme, pk=pk)
    action = request.POST.get("action", "programme") if request.method == "POST" else None
    if action is not None and action not in PROGRAMME_PAGE_ACTIONS:
        action = "programme"
    form = ProgrammeForm(request.POST if action == "programme" else None, instance=programme)
    kind_form = AttachmentKindForm(
        request.POST if action == "attachment_kind" else None, prefix="kind"
    )
    document_form = GuidelineDocumentForm(
        request.POST if action == "document" else None,
        request.FILES if action == "document" else None,
        prefix="document",
    )
    done = None
    try:
        if action == "programme" and form.is_valid():
            admin_services.update_programme(
                actor=request.user, programme=programme, **form.cleaned_data
            )
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            done = redirect("administration:programmes")
        elif action == "attachment_kind" and kind_form.is_valid():
            kind = admin_services.add_attachment_kind(actor=request.user, **kind_form.cleaned_data)
            messages.success(
                request,
                _(
                    "Die Anlagenart „%(name)s“ wurde angelegt. Kreuzen Sie sie an, wenn dieses "
                    "Förderprogramm sie verlangt."
                )
                % {"name": kind.name_de},
            )
            done = redirect("administration:programme_edit", pk=programme.pk)
        elif action == "document" and document_form.is_valid():
            admin_services.replace_guideline_document(
                actor=request.user,
                programme=programme,
                upload=document_form.cleaned_data["document"],
            )
            messages.success(request, _("Der Leitfaden (PDF) wurde gespeichert."))
            done = redirect("administration:programme_edit", pk=programme.pk)
        elif action == "remove_document":
            admin_services.remove_guideline_document(actor=request.user, programme=programme)
            messages.success(request, _("Der Leitfaden (PDF) wurde entfernt."))
            done = redirect("administration:programme_edit", pk=programme.pk)
    except PortalError as error:
        target = {"programme": form, "attachment_kind": kind_form, "document": document_form}
        if action in target:
            _form_error(target[action], error)
        else:
            messages.error(request, error.message)
    if done is not None:
        return done
    programme.refresh_from_db()
    return render(
        request,
        "administration/programme_form.html",
        {
            "form": form,
            "kind_form": kind_form,
            "document_form": document_form,
            "programme": programme,
        },
    )


@requires(permissions.is_administrator)
def programme_budget(request, pk):
    programme = get_object_or_404(FundingProgramme, pk=pk)
    form = BudgetChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            admin_services.change_budget(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Budgetänderung wurde gespeichert."))
            return redirect("administration:programme_budget", pk=programme.pk)
    programme.refresh_from_db()
    return render(
        request,
        "administration/programme_budget.html",
        {
            "form": form,
            "programme": programme,
            "initial_budget": initial_budget(programme),
            "committed": committed_amount(programme),
            "changes": programme.budget_changes.select_related("changed_by"),
        },
    )


# Leitfaden versions -----------------------------------------------------------------------


@requires(permissions.is_administrator)
def guidelines(request):
    return render(
        request,
        "administration/guidelines.html",
        {"versions": admin_selectors.guideline_versions()},
    )


@requires(permissions.is_administrator)
def guideline(request, pk):
    version = get_object_or_404(admin_selectors.guideline_versions(), pk=pk)
    return render(
        request,
        "administration/guideline.html",
        {
            "version": version,
            "criteria": version.criteria.order_by("kind", "order", "pk"),
            "frozen": version.submitted_count > 0,
        },
    )


def _guideline_action(request, pk, action, success):
    version = get_object_or_404(Guideline, pk=pk)
    try:
        result = action(actor=request.user, guideline=version)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("administration:guideline", pk=version.pk)
    messages.success(request, success)
    return redirect("administration:guideline", pk=result.pk)


@require_POST
@requires(permissions.is_administrator)
def guideline_new_version(request, pk):
    return _guideline_action(
        request,
        pk,
        admin_services.start_guideline_version,
        _("Die neue Version wurde angelegt. Sie gilt erst, wenn Sie sie veröffentlichen."),
    )


@require_POST
@requires(permissions.is_administrator)
def guideline_publish(request, pk):
    return _guideline_action(
        request,
        pk,
        admin_services.publish_guideline_version,
        _(
            "Die Version ist veröffentlicht. Neue Entwürfe gelten nach ihr; Antragstellende mit "
            "begonnenen Entwürfen wurden benachrichtigt."
        ),
    )


def _criterion_page(request, version, form, criterion=None):
    frozen_reason = None
    try:
        if request.method == "POST" and form.is_valid():
            if criterion is None:
                admin_services.add_criterion(
                    actor=request.user, guideline=version, **form.cleaned_data
                )
            else:
                admin_services.update_criterion(
                    actor=request.user, criterion=criterion, **form.cleaned_data
                )
            messages.success(request, _("Das Kriterium wurde gespeichert."))
            return redirect("administration:guideline", pk=version.pk)
    except PortalError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
        else:
            frozen_reason = error.message
    used = admin_services.submitted_use_count(version)
    if used and frozen_reason is None:
        frozen_reason = _(
            "Diese Version ist eingefroren, weil eingereichte Anträge nach ihr geprüft wurden."
        )
    return render(
        request,
        "administration/criterion_form.html",
        {
            "form": form,
            "version": version,
            "criterion": criterion,
            "frozen_reason": frozen_reason,
        },
        status=409 if frozen_reason and request.method == "POST" else 200,
    )


@requires(permissions.is_administrator)
def criterion_add(request, pk):
    version = get_object_or_404(Guideline, pk=pk)
    return _criterion_page(request, version, CriterionForm(request.POST or None))


@requires(permissions.is_administrator)
def criterion_edit(request, pk):
    criterion = get_object_or_404(GuidelineCriterion.objects.select_related("guideline"), pk=pk)
    form = CriterionForm(request.POST or None, instance=criterion)
    return _criterion_page(request, criterion.guideline, form, criterion)


@require_POST
@requires(permissions.is_administrator)
def criterion_delete(request, pk):
    criterion = get_object_or_404(GuidelineCriterion, pk=pk)
    try:
        admin_services.delete_criterion(actor=request.user, criterion=criterion)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Das Kriterium wurde entfernt."))
    return redirect("administration:guideline", pk=criterion.guideline_id)


# Letter text blocks -----------------------------------------------------------------------

DEFAULT_SCOPE = "standard"


def _scope(scope):
    """``standard`` is the default of every programme; otherwise a programme's id."""
    if scope == DEFAULT_SCOPE:
        return None
    if not scope.isdigit():
        raise Http404
    return get_object_or_404(FundingProgramme, pk=int(scope))


def _text_key(key):
    if key not in TextBlockKey.values:
        raise Http404
    return TextBlockKey(key)


def _pdf_preview(pdf):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="Muster-Zuwendungsbescheid.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@requires(permissions.is_administrator)
def letter_texts(request):
    return render(
        request,
        "administration/letter_texts.html",
        {
            "default_scope": DEFAULT_SCOPE,
            "programmes": admin_selectors.programmes_with_own_letter_texts(),
        },
    )


@requires(permissions.is_administrator)
def letter_text_blocks(request, scope):
    programme = _scope(scope)
    return render(
        request,
        "administration/letter_text_blocks.html",
        {
            "programme": programme,
            "scope": scope,
            "blocks": letter_texts_service.text_block_overview(programme),
            "history": letter_texts_service.text_block_history(programme)[:20],
        },
    )


@requires(permissions.is_administrator)
def letter_text_edit(request, scope, key):
    programme, key = _scope(scope), _text_key(key)
    form = LetterTextForm(
        request.POST or None,
        initial={"text": letter_texts_service.current_text(key, programme=programme)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            letter_texts_service.save_text_block(
                actor=request.user, programme=programme, key=key, text=form.cleaned_data["text"]
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Der Textbaustein wurde gespeichert."))
            return redirect("administration:letter_text_blocks", scope=scope)
    return render(
        request,
        "administration/letter_text_form.html",
        {
            "form": form,
            "programme": programme,
            "scope": scope,
            "key": key,
            "default_text": letter_texts_service.default_text(key, programme=programme),
            "history": letter_texts_service.text_block_history(programme, key)[:10],
        },
    )


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
@requires(permissions.is_administrator)
def letter_text_saved_preview(request, scope):
    programme = _scope(scope)
    return _pdf_preview(letter_texts_service.preview_pdf(actor=request.user, programme=programme))


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
@require_POST
@requires(permissions.is_administrator)
def letter_text_preview(request, scope, key):
    programme, key = _scope(scope), _text_key(key)
    try:
        pdf = letter_texts_service.preview_pdf(
            actor=request.user, programme=programme, key=key, text=request.POST.get("text", "")
        )
    except PortalError as error:
        return render(
            request,
            "administration/letter_text_preview_error.html",
            {"message": error.message, "programme": programme, "scope": scope, "key": key},
            status=400,
        )
    return _pdf_preview(pdf)


@require_POST
@requires(permissions.is_administrator)
def letter_text_reset(request, scope, key):
    programme, key = _scope(scope), _text_key(key)
    try:
        letter_texts_service.reset_text_block(actor=request.user, programme=programme, key=key)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("„%(block)s“ verwendet wieder den Standardtext.") % {"block": key.label},
        )
    return redirect("administration:letter_text_blocks", scope=scope)
