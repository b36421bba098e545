import pytest
from django.urls import reverse

from accounts.models import Notification
from applications import admin_services
from applications.models import CriterionKind, FundingProgramme, Guideline
from kitz_portal.errors import PortalError
from tests.application_helpers import complete_draft, confirm_all, sample_programme
from tests.factories import administrator
from tests.review_helpers import applicant_of, submitted_application

pytestmark = pytest.mark.django_db


def new_version(programme):
    return admin_services.start_guideline_version(
        actor=administrator(), guideline=programme.guideline
    )


def test_new_version_copies_every_criterion_and_is_unpublished(client):
    programme = sample_programme()
    old = programme.guideline
    client.force_login(administrator())
    response = client.post(reverse("administration:guideline_new_version", kwargs={"pk": old.pk}))
    version = Guideline.objects.get(title=old.title, version=old.version + 1)
    assert response.url == reverse("administration:guideline", kwargs={"pk": version.pk})
    assert version.published_at is None
    assert sorted(version.criteria.values_list("code", flat=True)) == sorted(
        old.criteria.values_list("code", flat=True)
    )
    programme.refresh_from_db()
    assert programme.guideline == old  # nothing changes before publishing


def test_only_one_unpublished_version_at_a_time():
    programme = sample_programme()
    new_version(programme)
    with pytest.raises(PortalError):
        new_version(programme)


def test_version_used_by_a_submitted_application_is_frozen(client):
    application = submitted_application()
    criterion = application.guideline.criteria.first()
    text_before = criterion.text_de
    client.force_login(administrator())
    url = reverse("administration:criterion_edit", kwargs={"pk": criterion.pk})
    page = client.get(url).content.decode()
    assert "eingefroren" in page
    data = {
        "kind": criterion.kind,
        "code": criterion.code,
        "order": criterion.order,
        "text_de": "Geändert",
        "excluding_answer": criterion.excluding_answer,
    }
    response = client.post(url, data)
    assert response.status_code == 409
    assert "1 eingereichte Anträge" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.text_de == text_before
    with pytest.raises(PortalError):
        admin_services.add_criterion(
            actor=administrator(),
            guideline=application.guideline,
            kind=CriterionKind.REVIEW,
            code="neu",
            text_de="Neu",
        )
    with pytest.raises(PortalError):
        admin_services.delete_criterion(actor=administrator(), criterion=criterion)


def test_criteria_of_a_new_version_are_edited_added_and_removed(client):
    programme = sample_programme()
    version = new_version(programme)
    criterion = version.criteria.filter(kind=CriterionKind.REVIEW).first()
    client.force_login(administrator())
    response = client.post(
        reverse("administration:criterion_edit", kwargs={"pk": criterion.pk}),
        {"kind": "review", "code": criterion.code, "order": "1", "text_de": "Neu gefasst"},
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.text_de == "Neu gefasst"
    assert programme.guideline.criteria.get(code=criterion.code).text_de != "Neu gefasst"
    client.post(
        reverse("administration:criterion_add", kwargs={"pk": version.pk}),
        {"kind": "declaration", "code": "klimaschutz", "order": "9", "text_de": "Ich achte …"},
    )
    assert version.criteria.filter(code="klimaschutz").exists()
    client.post(reverse("administration:criterion_delete", kwargs={"pk": criterion.pk}))
    assert not version.criteria.filter(pk=criterion.pk).exists()


def test_bad_criterion_input_is_refused_at_the_field(client):
    programme = sample_programme()
    version = new_version(programme)
    existing = version.criteria.first()
    client.force_login(administrator())
    url = reverse("administration:criterion_add", kwargs={"pk": version.pk})
    count = version.criteria.count()
    response = client.post(url, {"kind": "eligibility", "code": "frage", "text_de": "Frage?"})
    assert "excluding_answer" in response.context["form"].errors
    response = client.post(
        url, {"kind": "review", "code": existing.code, "order": "1", "text_de": "Doppelt"}
    )
    assert "code" in response.context["form"].errors
    assert version.criteria.count() == count


def test_publishing_switches_programmes_and_affects_only_new_drafts(client):
    submitted = submitted_application()
    programme = submitted.programme
    old = programme.guideline
    draft = complete_draft(programme=programme)
    member = applicant_of(draft)
    version = new_version(programme)
    admin_services.add_criterion(
        actor=administrator(),
        guideline=version,
        kind=CriterionKind.DECLARATION,
        code="neue-erklaerung",
        text_de="Ich bestätige die neue Erklärung.",
    )
    client.force_login(administrator())
    response = client.post(
        reverse("administration:guideline_publish", kwargs={"pk": version.pk}), follow=True
    )
    assert "ist veröffentlicht" in response.content.decode()
    version.refresh_from_db()
    assert version.published_at is not None
    assert FundingProgramme.objects.get(pk=programme.pk).guideline == version
    submitted.refresh_from_db()
    assert submitted.guideline == old  # a submitted case keeps its version
    notification = Notification.objects.get(template="emails/applications/guideline_updated")
    assert notification.recipient == member
    assert notification.context["version"] == version.version
    # The draft begun under the old version is checked against the new one at submit.
    from applications import services

    with pytest.raises(PortalError):
        services.submit_application(actor=member, application=draft)
    draft.refresh_from_db()
    confirm_all(member, draft)
    submitted_now = services.submit_application(actor=member, application=draft)
    assert submitted_now.guideline == version


def test_publishing_twice_is_refused():
    programme = sample_programme()
    with pytest.raises(PortalError):
        admin_services.publish_guideline_version(
            actor=administrator(), guideline=programme.guideline
        )


def test_guideline_list_in_fixed_queries(client, django_assert_max_num_queries):
    programme = sample_programme()
    for _ in range(3):
        version = new_version(programme)
        admin_services.publish_guideline_version(actor=administrator(), guideline=version)
    client.force_login(administrator())
    with django_assert_max_num_queries(8):
        response = client.get(reverse("administration:guidelines"))
    assert response.content.decode().count("veröffentlicht am") == 4
