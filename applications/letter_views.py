from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import permissions as account_permissions
from accounts.decorators import requires
from kitz_portal.errors import PortalError

from . import selectors
from .forms import DATE_HINT
from .letter_models import DecisionLetter
from .letters import record_letter_opened, record_letter_posting
from .letters import waive_appeal as waive_appeal_service


@login_required
def download_letter(request, pk, letter_id):
    application = selectors.application_for_viewer(request.user, pk)
    letter = get_object_or_404(DecisionLetter, application=application, pk=letter_id)
    try:
        handle = letter.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_letter_opened(letter=letter, user=request.user)
    response = FileResponse(
        handle, as_attachment=True, filename=letter.download_name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def waive_appeal(request, pk, letter_id):
    application = selectors.application_for_member(request.user, pk)
    letter = get_object_or_404(DecisionLetter, application=application, pk=letter_id)
    try:
        waive_appeal_service(actor=request.user, letter=letter)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Sie haben auf Rechtsbehelfe verzichtet. Der Bescheid ist bestandskräftig.")
        )
    return redirect("applications:detail", pk=application.pk)


class PostingForm(forms.Form):
    posted_on = forms.DateField(label=_("Zur Post gegeben am"), help_text=DATE_HINT)


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_record_posting(request, pk, letter_id):
    application = selectors.case_for_staff(request.user, pk)
    letter = get_object_or_404(DecisionLetter, application=application, pk=letter_id)
    form = PostingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie das Datum als TT.MM.JJJJ an."))
    else:
        try:
            record_letter_posting(
                actor=request.user, letter=letter, posted_on=form.cleaned_data["posted_on"]
            )
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Der Tag der Aufgabe zur Post ist gespeichert."))
    return redirect("applications:staff_case", pk=application.pk)
