from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import permissions as account_permissions
from accounts.decorators import requires
from kitz_portal.errors import PortalError
from kitz_portal.uploads import private_file_response

from . import selectors
from .forms import DATE_HINT, DATE_WIDGET
from .letter_models import DecisionLetter
from .letters import record_letter_opened, record_letter_posting
from .letters import waive_appeal as waive_appeal_service


@login_required
def download_letter(request, pk, letter_id):
    application = selectors.application_for_viewer(request.user, pk)
    letter = get_object_or_404(DecisionLetter, application=application, pk=letter_id)
    response = private_file_response(
        letter.file, filename=letter.download_name, content_type="application/pdf"
    )
    record_letter_opened(letter=letter, user=request.user)
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
    """One form per letter on the case page: the ids name the letter, the field name stays."""

    posted_on = forms.DateField(
        label=_("Zur Post gegeben am"),
        widget=DATE_WIDGET,
        help_text=DATE_HINT,
        error_messages={
            "required": _("Bitte geben Sie das Datum an."),
            "invalid": _("Bitte geben Sie das Datum als TT.MM.JJJJ an."),
        },
    )

    def __init__(self, *args, letter, **kwargs):
        kwargs.setdefault("auto_id", f"id_posting{letter.pk}_%s")
        kwargs.setdefault("initial", {"posted_on": letter.posted_on})
        super().__init__(*args, **kwargs)
        self.letter_id = letter.pk
        self.fields["posted_on"].label = _("%(kind)s zur Post gegeben am") % {
            "kind": letter.get_kind_display()
        }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_errors = False


@require_POST
@requires(account_permissions.is_kitz_staff)
def staff_record_posting(request, pk, letter_id):
    from .views import _case_page

    application = selectors.case_for_staff(request.user, pk)
    letter = get_object_or_404(DecisionLetter, application=application, pk=letter_id)
    form = PostingForm(request.POST, letter=letter)
    if form.is_valid():
        try:
            record_letter_posting(
                actor=request.user, letter=letter, posted_on=form.cleaned_data["posted_on"]
            )
        except PortalError as error:
            if error.field not in form.fields:
                # Not about the input (e.g. someone else was quicker): the form may be gone.
                messages.error(request, error.message)
                return redirect("applications:staff_case", pk=application.pk)
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Der Tag der Aufgabe zur Post ist gespeichert."))
            return redirect("applications:staff_case", pk=application.pk)
    return _case_page(request, application, posting_form=form)
