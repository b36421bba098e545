"""Text blocks of the Bescheid per programme, edited on staff pages, with a PDF preview."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from applications.letter_models import (
    DecisionLetter,
    LetterTextBlock,
    LetterTextChange,
    TextBlockKey,
)
from applications.letter_texts import MAX_TEXT_LENGTH, save_text_block
from applications.letters import DEFAULT_TEXT_BLOCKS, text_blocks
from kitz_portal.errors import PortalError
from tests.application_helpers import sample_programme
from tests.factories import administrator, signing_authority

pytestmark = pytest.mark.django_db

OWN_INTRO = "Sehr gern fördern wir Ihr Vorhaben im Sonderprogramm. Ich entscheide:"


@pytest.fixture
def programme():
    return sample_programme()


@pytest.fixture
def admin(client):
    person = administrator(first_name="Anke", last_name="Admin")
    client.force_login(person)
    return person


def url(name, programme, key=None):
    kwargs = {"scope": str(programme.pk) if programme is not None else "standard"}
    if key is not None:
        kwargs["key"] = key
    return reverse(f"administration:{name}", kwargs=kwargs)


def pdf_text(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_programme_page_shows_which_blocks_use_the_default(client, admin, programme):
    LetterTextBlock.objects.create(programme=programme, key=TextBlockKey.INTRO, text=OWN_INTRO)
    response = client.get(url("letter_text_blocks", programme))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    rows = dict(re.findall(r'data-key="(\w+)">(.*?)</tr>', html, re.S))
    assert set(rows) == set(TextBlockKey.values)
    assert "eigener Text" in rows["intro"]
    assert "Sehr gern fördern wir" in rows["intro"]
    assert "Auf Standardtext zurücksetzen" in rows["intro"]
    assert "Standardtext" in rows["payment"]
    assert "eigener Text" not in rows["payment"]
    assert "Auf Standardtext zurücksetzen" not in rows["payment"]


def test_overview_counts_each_programmes_own_texts(client, admin, programme):
    LetterTextBlock.objects.create(programme=programme, key=TextBlockKey.INTRO, text=OWN_INTRO)
    html = client.get(reverse("administration:letter_texts")).content.decode()
    assert "Standardtexte für alle Förderprogramme" in html
    assert "1 eigener Text" in html


def test_saving_a_programme_text_is_used_in_its_letters_and_audited(client, admin, programme):
    response = client.post(url("letter_text_edit", programme, "intro"), {"text": OWN_INTRO})
    assert response.status_code == 302
    assert response.url == url("letter_text_blocks", programme)
    assert text_blocks(programme)["intro"] == [OWN_INTRO]
    assert text_blocks(None)["intro"] == [DEFAULT_TEXT_BLOCKS[TextBlockKey.INTRO]]
    change = LetterTextChange.objects.get()
    assert (change.programme, change.key, change.action) == (programme, "intro", "saved")
    assert change.text_before == DEFAULT_TEXT_BLOCKS[TextBlockKey.INTRO]
    assert change.text_after == OWN_INTRO
    assert change.changed_by == admin
    page = client.get(url("letter_text_blocks", programme)).content.decode()
    assert "Anke Admin" in page  # the history names who changed it


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Dieses Feld ist zwingend erforderlich."),
        ("x" * (MAX_TEXT_LENGTH + 1), f"höchstens {MAX_TEXT_LENGTH} Zeichen"),
        ("Ihr Antrag {{ application.reference }} ist bewilligt.", "keine Platzhalter"),
    ],
)
def test_bad_text_is_refused_at_the_field_and_nothing_is_saved(
    client, admin, programme, text, message
):
    response = client.post(url("letter_text_edit", programme, "intro"), {"text": text})
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors["text"])
    assert message in response.content.decode()
    assert not LetterTextBlock.objects.filter(programme=programme).exists()
    assert not LetterTextChange.objects.exists()


def test_the_service_refuses_placeholders_and_other_roles(programme):
    with pytest.raises(PortalError) as error:
        save_text_block(
            actor=administrator(), programme=programme, key="intro", text="Hallo {% now %}"
        )
    assert error.value.field == "text"
    with pytest.raises(PortalError):
        save_text_block(actor=signing_authority(), programme=programme, key="intro", text="Hallo")
    assert not LetterTextChange.objects.exists()


def test_reset_returns_to_the_default_and_is_audited(client, admin, programme):
    save_text_block(actor=admin, programme=programme, key="payment", text="Eigene Auszahlung.")
    response = client.post(url("letter_text_reset", programme, "payment"), follow=True)
    assert "verwendet wieder den Standardtext" in response.content.decode()
    assert not LetterTextBlock.objects.filter(programme=programme).exists()
    assert text_blocks(programme)["payment"][0].startswith("Die Zuwendung wird nicht")
    reset = LetterTextChange.objects.filter(action="reset").get()
    assert reset.text_before == "Eigene Auszahlung."
    assert reset.changed_by == admin


def test_resetting_a_block_that_uses_the_default_changes_nothing(client, admin, programme):
    response = client.post(url("letter_text_reset", programme, "payment"), follow=True)
    assert "verwendet bereits den Standardtext" in response.content.decode()
    assert not LetterTextChange.objects.exists()


def test_edited_default_applies_to_programmes_without_their_own_text(client, admin, programme):
    client.post(url("letter_text_edit", None, "appeal_address"), {"text": "Moltkestraße 22"})
    assert text_blocks(programme)["appeal_address"] == ["Moltkestraße 22"]
    html = client.get(url("letter_text_blocks", None)).content.decode()
    assert "angepasst" in html


def test_edit_page_embeds_the_saved_preview_and_posts_the_form_into_it(client, admin, programme):
    html = client.get(url("letter_text_edit", programme, "intro")).content.decode()
    assert html.count("<h1") == 1
    saved = url("letter_text_saved_preview", programme)
    assert 'name="letter-preview"' in html
    assert f'src="{saved}"' in html
    preview = url("letter_text_preview", programme, "intro")
    assert f'formaction="{preview}" formtarget="letter-preview"' in html
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]


def test_preview_renders_the_unsaved_text_inline_and_stores_nothing(client, admin, programme):
    before = LetterTextBlock.objects.count()
    response = client.post(url("letter_text_preview", programme, "intro"), {"text": OWN_INTRO})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    # Framed by the edit page only: same origin, despite the portal-wide DENY.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    text = pdf_text(response.content)
    assert "Sehr gern fördern wir Ihr Vorhaben" in text
    assert "Muster zur Vorschau der Textbausteine – kein Bescheid" in text
    assert programme.title in text
    assert LetterTextBlock.objects.count() == before
    assert not LetterTextChange.objects.exists()
    assert not DecisionLetter.objects.exists()


def test_preview_of_bad_text_explains_why_and_stores_nothing(client, admin, programme):
    response = client.post(url("letter_text_preview", programme, "intro"), {"text": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte geben Sie einen Text ein." in html
    assert html.count("<h1") == 1
    assert not LetterTextChange.objects.exists()


def test_saved_preview_shows_the_stored_wording(client, admin, programme):
    save_text_block(actor=admin, programme=programme, key="legal_basis", text="Eigene Grundlage.")
    response = client.get(url("letter_text_saved_preview", programme))
    assert response["Content-Type"] == "application/pdf"
    assert "Eigene Grundlage." in pdf_text(response.content)


def test_unknown_blocks_and_programmes_are_not_found(client, admin, programme):
    assert client.get(url("letter_text_edit", programme, "signature")).status_code == 404
    missing = reverse("administration:letter_text_blocks", kwargs={"scope": "999999"})
    assert client.get(missing).status_code == 404
    other = reverse("administration:letter_text_blocks", kwargs={"scope": "alle"})
    assert client.get(other).status_code == 404


def test_signing_authority_may_not_preview_or_save(client, programme):
    client.force_login(signing_authority())
    response = client.post(url("letter_text_edit", programme, "intro"), {"text": OWN_INTRO})
    assert response.status_code == 403
    response = client.post(url("letter_text_preview", programme, "intro"), {"text": OWN_INTRO})
    assert response.status_code == 403
    assert not LetterTextBlock.objects.filter(programme=programme).exists()


def test_text_block_lists_need_a_fixed_number_of_queries(
    client, admin, programme, django_assert_max_num_queries
):
    for key in ("intro", "payment", "conditions"):
        save_text_block(actor=admin, programme=programme, key=key, text=f"Eigener Text {key}.")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("administration:letter_texts")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("letter_text_blocks", programme)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("letter_text_edit", programme, "intro")).status_code == 200


def test_changes_in_the_django_admin_are_kept_in_the_same_history(client, programme):
    from accounts.models import User

    superuser = User.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:applications_lettertextblock_add"),
        {"programme": programme.pk, "key": "intro", "text": OWN_INTRO},
    )
    assert response.status_code == 302
    change = LetterTextChange.objects.get()
    assert (change.programme, change.action, change.changed_by) == (programme, "saved", superuser)
    assert change.text_after == OWN_INTRO


def test_preview_of_the_default_texts_uses_a_sample_programme(client, admin):
    response = client.post(url("letter_text_preview", None, "appeal_address"), {"text": "Am Dom 1"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Am Dom 1" in text
    assert "Förderung positiver Integration" in text
    assert not LetterTextBlock.objects.filter(text="Am Dom 1").exists()
