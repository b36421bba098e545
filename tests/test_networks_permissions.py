import pytest
from django.urls import reverse

from kitz_portal.errors import PortalError
from networks import services
from networks.models import Network, Visibility
from tests.factories import administrator, case_handler
from tests.network_factories import MeetingFactory, network_with_people

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "staff", "coordinator", "administrator"]

# url name, needs meeting, public network: expected per role, members-only: expected per role
MATRIX = [
    ("list", False, [200, 200, 200, 200, 200, 200], [200, 200, 200, 200, 200, 200]),
    ("detail", False, [200, 200, 200, 200, 200, 200], [404, 404, 200, 200, 200, 404]),
    ("network_feed", False, [200, 200, 200, 200, 200, 200], [404, 404, 200, 200, 200, 404]),
    ("create", False, [302, 403, 403, 200, 200, 403], [302, 403, 403, 200, 200, 403]),
    ("edit", False, [302, 403, 403, 200, 200, 403], [302, 403, 403, 200, 200, 403]),
    ("join_request", False, [302, 200, 200, 200, 200, 200], [302, 404, 200, 200, 200, 404]),
    ("members", False, [302, 404, 403, 403, 200, 404], [302, 404, 403, 403, 200, 404]),
    ("meeting_create", False, [302, 404, 403, 403, 200, 404], [302, 404, 403, 403, 200, 404]),
    ("series_create", False, [302, 404, 403, 403, 200, 404], [302, 404, 403, 403, 200, 404]),
    ("offer_create", False, [302, 404, 403, 403, 200, 404], [302, 404, 403, 403, 200, 404]),
    ("task_create", False, [302, 404, 403, 403, 200, 404], [302, 404, 403, 403, 200, 404]),
    ("meeting", True, [302, 404, 200, 200, 200, 404], [302, 404, 200, 200, 200, 404]),
    ("meeting_edit", True, [302, 404, 403, 403, 200, 404], [302, 404, 403, 403, 200, 404]),
    ("meeting_attendance", True, [302, 404, 403, 403, 200, 404], [302, 404, 403, 403, 200, 404]),
    ("meeting_minutes", True, [302, 404, 403, 403, 200, 404], [302, 404, 403, 403, 200, 404]),
    ("my_calendar", None, [302, 200, 200, 200, 200, 200], [302, 200, 200, 200, 200, 200]),
]


def _people(visibility):
    people = network_with_people(visibility=visibility)
    people["staff"] = case_handler()
    people["administrator"] = administrator()
    people["meeting"] = MeetingFactory(network=people["network"])
    return people


def _url(name, with_meeting, people):
    if with_meeting is None or name in ("list", "create"):
        return reverse(f"networks:{name}")
    kwargs = {"slug": people["network"].slug}
    if with_meeting:
        kwargs["pk"] = people["meeting"].pk
    return reverse(f"networks:{name}", kwargs=kwargs)


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.MEMBERS_ONLY])
def test_every_network_page_answers_each_role_as_designed(client, visibility):
    people = _people(visibility)
    failures = []
    for name, with_meeting, public, members_only in MATRIX:
        expected = public if visibility == Visibility.PUBLIC else members_only
        url = _url(name, with_meeting, people)
        for role, status in zip(ROLES, expected, strict=True):
            client.logout()
            if role != "anonymous":
                client.force_login(people[role])
            response = client.get(url)
            if response.status_code != status:
                failures.append(f"{name} as {role}: {response.status_code} (expected {status})")
            elif (
                status == 200
                and response["Content-Type"].startswith("text/html")
                and response.content.decode().count("<h1") != 1
            ):
                failures.append(f"{name} as {role}: not exactly one <h1>")
    assert failures == []


def test_members_only_network_is_not_listed_for_outsiders(client):
    people = _people(Visibility.MEMBERS_ONLY)
    client.force_login(people["outsider"])
    assert people["network"].name not in client.get(reverse("networks:list")).content.decode()
    client.force_login(people["member"])
    assert people["network"].name in client.get(reverse("networks:list")).content.decode()


def test_only_staff_create_networks_and_only_staff_coordinate():
    people = network_with_people()
    with pytest.raises(PortalError):
        services.create_network(
            actor=people["member"],
            name="Neu",
            slug="neu",
            visibility=Visibility.PUBLIC,
            handlungsfelder=[],
            coordinators=[],
        )
    with pytest.raises(PortalError) as error:
        services.create_network(
            actor=people["coordinator"],
            name="Neu",
            slug="neu",
            visibility=Visibility.PUBLIC,
            handlungsfelder=[],
            coordinators=[people["member"]],
        )
    assert error.value.field == "coordinators"
    assert not Network.objects.filter(slug="neu").exists()


def test_staff_creates_a_network_in_the_portal(client):
    from handlungsfelder.models import Handlungsfeld

    staff = case_handler()
    client.force_login(staff)
    field = Handlungsfeld.objects.get(slug="wohnen")
    response = client.post(
        reverse("networks:create"),
        {
            "name": "Netzwerk Wohnen Nord",
            "slug": "wohnen-nord",
            "description": "Wohnungssuche",
            "visibility": "public",
            "handlungsfelder": [field.pk],
            "coordinators": [staff.pk],
        },
    )
    network = Network.objects.get(slug="wohnen-nord")
    assert response.status_code == 302
    assert list(network.coordinators.all()) == [staff]
    assert list(network.handlungsfelder.all()) == [field]


def test_network_form_without_handlungsfeld_is_refused_at_the_field(client):
    client.force_login(case_handler())
    response = client.post(
        reverse("networks:create"),
        {"name": "X", "slug": "x", "visibility": "public"},
    )
    assert "handlungsfelder" in response.context["form"].errors
    assert "coordinators" in response.context["form"].errors
    assert not Network.objects.exists()


def test_task_owner_may_tick_off_their_task_but_other_members_may_not(client):
    people = network_with_people()
    task = services.create_task(
        actor=people["coordinator"],
        network=people["network"],
        title="Flyer",
        owner=people["member"],
    )
    with pytest.raises(PortalError):
        services.set_task_done(actor=people["outsider"], task=task, done=True)
    services.set_task_done(actor=people["member"], task=task, done=True)
    task.refresh_from_db()
    assert task.done and task.done_at


def test_task_owner_must_be_a_member():
    people = network_with_people()
    with pytest.raises(PortalError) as error:
        services.create_task(
            actor=people["coordinator"],
            network=people["network"],
            title="Flyer",
            owner=people["outsider"],
        )
    assert error.value.field == "owner"
    assert not people["network"].tasks.exists()


def test_network_address_that_the_portal_uses_itself_is_refused_at_the_field(client):
    from handlungsfelder.models import Handlungsfeld

    staff = case_handler()
    client.force_login(staff)
    response = client.post(
        reverse("networks:create"),
        {
            "name": "Neu",
            "slug": "neu",
            "visibility": "public",
            "handlungsfelder": [Handlungsfeld.objects.first().pk],
            "coordinators": [staff.pk],
        },
    )
    assert "slug" in response.context["form"].errors
    assert not Network.objects.exists()
