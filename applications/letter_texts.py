"""The administration words the text blocks of the Bescheid, per programme or as the default.

Every change is kept as a ``LetterTextChange`` (wording before and after, who, when); a
preview renders the Bescheid on a made-up case and stores nothing.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from kitz_portal.errors import PortalError

from .letter_models import LetterTextBlock, LetterTextChange, TextBlockKey
from .letters import DEFAULT_TEXT_BLOCKS, render_sample_letter

MAX_TEXT_LENGTH = 3000


def _require_administrator(actor):
    if not permissions.is_administrator(actor):
        raise PortalError(_("Nur die Administration darf die Textbausteine der Bescheide ändern."))


def _normalised(text):
    return (text or "").replace("\r\n", "\n").strip()


def check_text(text):
    """The rules a text block must keep; a broken one is refused at the field."""
    text = _normalised(text)
    if not text:
        raise PortalError(_("Bitte geben Sie einen Text ein."), field="text")
    if len(text) > MAX_TEXT_LENGTH:
        raise PortalError(
            _(
                "Der Text ist %(length)s Zeichen lang. Erlaubt sind höchstens %(limit)s Zeichen; "
                "ein Bescheid soll knapp bleiben."
            )
            % {"length": len(text), "limit": MAX_TEXT_LENGTH},
            field="text",
        )
    if "{{" in text or "{%" in text:
        raise PortalError(
            _(
                "Textbausteine kennen keine Platzhalter. Bitte entfernen Sie „{{“ und „{%“; "
                "Aktenzeichen, Beträge und Daten setzt das Portal selbst ein."
            ),
            field="text",
        )
    return text


def default_text(key, *, programme):
    """What a block says when ``programme`` has no text of its own."""
    if programme is not None:
        row = LetterTextBlock.objects.filter(programme__isnull=True, key=key).first()
        if row is not None:
            return row.text
    return DEFAULT_TEXT_BLOCKS[TextBlockKey(key)]


def text_block_overview(programme):
    """The five blocks of one scope: wording in force and whether it is the scope's own."""
    defaults = {row.key: row.text for row in LetterTextBlock.objects.filter(programme__isnull=True)}
    if programme is not None:
        own = {row.key: row for row in LetterTextBlock.objects.filter(programme=programme)}
    else:
        # The default scope counts as adapted where it differs from the wording shipped.
        own = {
            row.key: row
            for row in LetterTextBlock.objects.filter(programme__isnull=True)
            if _normalised(row.text) != _normalised(DEFAULT_TEXT_BLOCKS[TextBlockKey(row.key)])
        }
    rows = []
    for key in TextBlockKey:
        row = own.get(key.value)
        text = row.text if row else defaults.get(key.value, DEFAULT_TEXT_BLOCKS[key])
        rows.append(
            {
                "key": key.value,
                "label": key.label,
                "text": text,
                "is_own": row is not None,
                "updated_at": row.updated_at if row else None,
            }
        )
    return rows


def current_text(key, *, programme):
    row = LetterTextBlock.objects.filter(programme=programme, key=key).first()
    if row is not None:
        return row.text
    return default_text(key, programme=programme)


def _lock(programme, key):
    rows = LetterTextBlock.objects.select_for_update().filter(programme=programme, key=key)
    return rows.order_by().first()


@transaction.atomic
def save_text_block(*, actor, programme, key, text):
    """Word one block for ``programme`` (None: the default of every programme)."""
    _require_administrator(actor)
    key = TextBlockKey(key)
    text = check_text(text)
    if programme is not None:
        # Lock the programme so that two administrators saving at once keep one row.
        type(programme).objects.select_for_update().get(pk=programme.pk)
    row = _lock(programme, key)
    before = row.text if row else default_text(key, programme=programme)
    if row is None:
        row = LetterTextBlock(programme=programme, key=key)
    row.text = text
    row.save()
    LetterTextChange.objects.create(
        programme=programme,
        key=key,
        action=LetterTextChange.Action.SAVED,
        text_before=before,
        text_after=text,
        changed_by=actor,
    )
    return row


@transaction.atomic
def reset_text_block(*, actor, programme, key):
    """Back to the default: the programme's own text (or the adapted default) is removed."""
    _require_administrator(actor)
    key = TextBlockKey(key)
    row = _lock(programme, key)
    if row is None or (
        programme is None and _normalised(row.text) == _normalised(DEFAULT_TEXT_BLOCKS[key])
    ):
        raise PortalError(_("Dieser Textbaustein verwendet bereits den Standardtext."))
    before = row.text
    row.delete()
    LetterTextChange.objects.create(
        programme=programme,
        key=key,
        action=LetterTextChange.Action.RESET,
        text_before=before,
        text_after=default_text(key, programme=programme),
        changed_by=actor,
    )


def text_block_history(programme, key=None):
    changes = LetterTextChange.objects.filter(programme=programme).select_related("changed_by")
    if key is not None:
        changes = changes.filter(key=key)
    return changes


def preview_pdf(*, actor, programme, key=None, text=None):
    """The Bescheid on a sample case; with ``key`` and ``text`` the unsaved wording is shown."""
    _require_administrator(actor)
    texts = {}
    if key is not None:
        texts[TextBlockKey(key)] = check_text(text)
    return render_sample_letter(programme=programme, texts=texts)
