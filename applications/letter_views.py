from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from . import selectors
from .letter_models import DecisionLetter
from .letters import record_letter_opened


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
