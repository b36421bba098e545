"""Pages in another language mark German-only text from the database with lang="de" (WCAG 3.1.2),
and date fields explain and accept the date format of the page's language."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from applications.forms import DATE_HINT, ProjectForm
from handlungsfelder.models import Handlungsfeld
from tests.application_helpers import (
    complete_organisation,
    member_of,
    sample_programme,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def german_parts(html):
    return [text.strip() for text in re.findall(r'<(?:span|div) lang="de">(.*?)</', html, re.S)]


@pytest.fixture
def wohnen():
    field = Handlungsfeld.objects.get(slug="wohnen")
    field.description_en = ""
    field.save()
    return field


def test_german_start_page_adds_no_language_marks(client, wohnen):
    assert german_parts(client.get("/").content.decode()) == []


def test_english_start_page_marks_only_the_untranslated_german_text(client, wohnen):
    html = client.get("/en/").content.decode()
    parts = german_parts(html)
    assert wohnen.description_de in parts
    # Names have an English translation: those stay unmarked and in English.
    assert wohnen.name_de not in parts
    assert f">{wohnen.name_en}</a>" in html


def test_arabic_pages_mark_the_german_names_and_descriptions(client, wohnen):
    html = client.get("/ar/").content.decode()
    parts = german_parts(html)
    assert wohnen.name_de in parts and wohnen.description_de in parts
    detail = client.get(f"/ar/handlungsfelder/{wohnen.slug}/").content.decode()
    assert (
        f'<h1 class="kern-heading-x-large"><span lang="de">{wohnen.name_de}</span></h1>' in detail
    )


def test_programme_names_and_leitfaden_questions_are_marked_german_in_english(client):
    programme = sample_programme()
    organisation = complete_organisation()
    user = member_of(organisation)
    assert client.login(email=user.email, password=PASSWORD)

    with translation.override("de"):
        programmes = reverse("applications:programmes")
        eligibility_url = reverse("applications:eligibility", args=[programme.pk])
    html = client.get("/en" + programmes).content.decode()
    assert programme.title in german_parts(html)

    eligibility = client.get("/ar" + eligibility_url).content.decode()
    criterion = programme.guideline.criteria.filter(kind="eligibility").first()
    assert criterion.text_de in german_parts(eligibility)


@pytest.fixture
def programme():
    return sample_programme()


@pytest.mark.parametrize(
    ("language", "hint", "rendered"),
    [("de", "TT.MM.JJJJ", "31.12.2027"), ("en", "DD/MM/YYYY", "31/12/2027")],
)
def test_date_fields_explain_and_show_the_date_in_the_page_language(
    programme, language, hint, rendered
):
    with translation.override(language):
        form = ProjectForm(initial={"start_date": date(2027, 12, 31)}, programme=programme)
        widget = str(form["start_date"])
        assert f'placeholder="{hint}"' in widget
        assert f'value="{rendered}"' in widget
        assert str(DATE_HINT) == hint


@pytest.mark.parametrize(
    ("language", "typed"),
    [("de", "31.12.2027"), ("en", "31/12/2027"), ("en", "31.12.2027")],
)
def test_date_fields_accept_the_format_of_the_page_language(programme, language, typed):
    with translation.override(language):
        form = ProjectForm(data={"start_date": typed}, programme=programme)
        form.is_valid()
        assert "start_date" not in form.errors
        assert form.cleaned_data["start_date"] == date(2027, 12, 31)


def test_a_date_in_the_wrong_order_is_refused_at_the_field(programme):
    with translation.override("de"):
        form = ProjectForm(data={"start_date": "12/31/2027"}, programme=programme)
        assert not form.is_valid()
        assert form.errors["start_date"]


def test_wizard_summary_in_english_marks_the_programme_and_keeps_translated_texts(client):
    from tests.application_helpers import complete_draft

    draft = complete_draft()
    member = draft.organisation.memberships.get().user
    assert client.login(email=member.email, password=PASSWORD)
    with translation.override("de"):
        summary = reverse("applications:summary", args=[draft.pk])
    html = client.get("/en" + summary).content.decode()
    parts = german_parts(html)
    assert str(draft.programme) in parts
    # Cost categories and Handlungsfelder have English names: those are not marked.
    assert "Sprache" not in parts
    assert not [part for part in parts if "Honorare" in part]
