"""Status and kind labels come out in the language of the request, without a query."""

from django.utils import translation

from accounts.models import Organisation, OrganisationKind
from applications.models import Application, ApplicationStatus


def test_status_labels_follow_the_language_of_the_request():
    application = Application(status=ApplicationStatus.APPROVED)
    with translation.override("de"):
        assert application.get_status_display() == "bewilligt"
    with translation.override("en"):
        assert application.get_status_display() == "approved"


def test_an_unknown_stored_value_is_shown_as_it_is():
    assert Application(status="archived").get_status_display() == "archived"
    assert Organisation(kind="").get_kind_display() == ""


def test_organisation_kinds_have_their_labels():
    with translation.override("de"):
        assert (
            Organisation(kind=OrganisationKind.VOLUNTEER_INITIATIVE).get_kind_display()
            == "Ehrenamtliche Initiative"
        )
