"""The Änderungsantrag as people see it: the prefilled form, errors at the field, staff pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from applications import amendments
from applications.models import AmendmentRequest, AmendmentStatus, ApplicationStatus, CostCategory
from tests.post_helpers import approved_case

pytestmark = pytest.mark.django_db


def d(day):
    return day.strftime("%d.%m.%Y")


def form_data(case, **overrides):
    """What the prefilled form sends back, with ``overrides`` applied."""
    decision = case.application.decision
    item = case.application.cost_items.get()
    data = {
        "new_start": d(decision.period_start),
        "new_end": d(decision.period_end + timedelta(days=30)),
        "new_amount": "1.800,00",
        "justification": "Die Kursreihe dauert einen Monat länger.",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-cost_item_id": str(item.pk),
        "lines-0-category": str(item.category_id),
        "lines-0-description": item.description,
        "lines-0-quantity": "1",
        "lines-0-unit_price": "2.000,00",
        "lines-1-cost_item_id": "",
        "lines-1-category": "",
        "lines-1-description": "",
        "lines-1-quantity": "",
        "lines-1-unit_price": "",
    }
    data.update(overrides)
    return data


def url(case):
    return reverse("applications:request_amendment", kwargs={"pk": case.application.pk})


def test_the_form_is_prefilled_with_the_grant_as_it_stands(client):
    case = approved_case()
    client.force_login(case.member)
    page = client.get(url(case)).content.decode()
    decision = case.application.decision
    assert page.count("<h1") == 1
    assert d(decision.period_start) in page and d(decision.period_end) in page
    assert "1.800,00" in page
    assert "Honorar Sprachtrainerin" in page
    assert "Diese Kostenposition streichen" in page


def test_a_good_request_is_saved_and_shown(client):
    case = approved_case()
    client.force_login(case.member)
    response = client.post(
        url(case),
        form_data(
            case,
            **{
                "new_amount": "1.300,00",
                "lines-0-unit_price": "1.000,00",
                "lines-1-category": str(CostCategory.objects.get(code="material").pk),
                "lines-1-description": "Lehrbücher",
                "lines-1-quantity": "10",
                "lines-1-unit_price": "50,00",
            },
        ),
        follow=True,
    )
    page = response.content.decode()
    assert "Ihr Änderungsantrag ist beim KITZ eingegangen." in page
    amendment = AmendmentRequest.objects.get(application=case.application)
    assert amendment.new_amount == Decimal("1300.00")
    assert [line.description for line in amendment.cost_lines.all()] == [
        "Honorar Sprachtrainerin",
        "Lehrbücher",
    ]
    assert "bereits einen offenen Änderungsantrag" in page, "no second form while one is open"
    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    assert "das KITZ prüft Ihren Änderungsantrag" in dashboard


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"new_end": "01.01.2020"}, "id_new_end", "Das Ende darf nicht vor dem Beginn liegen."),
        ({"new_end": "31.12.2099"}, "id_new_end", "höchstens 12 Monate"),
        ({"new_amount": "10.000,00"}, "id_new_amount", "höchstens 5.000,00"),
        ({"new_amount": "zwei"}, "id_new_amount", ""),
        ({"justification": ""}, "id_justification", ""),
        ({"lines-0-unit_price": "-5"}, "id_lines-0-unit_price", ""),
        ({"lines-0-description": ""}, "id_lines-0-description", ""),
        ({"new_end": ""}, "id_new_end", ""),
    ],
)
def test_bad_input_is_named_at_the_field_and_nothing_is_saved(client, overrides, field_id, message):
    case = approved_case()
    client.force_login(case.member)
    response = client.post(url(case), form_data(case, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in page
    assert f'href="#{field_id}"' in page
    assert 'aria-invalid="true"' in page
    assert message in page
    assert not AmendmentRequest.objects.exists()


def test_an_ineligible_cost_line_is_named_at_its_line(client):
    case = approved_case()
    client.force_login(case.member)
    staff = CostCategory.objects.get(code="staff")
    response = client.post(
        url(case),
        form_data(
            case,
            **{
                "lines-1-category": str(staff.pk),
                "lines-1-description": "Hausmeister",
                "lines-1-quantity": "1",
                "lines-1-unit_price": "10,00",
            },
        ),
    )
    page = response.content.decode()
    assert 'href="#id_lines-1-category"' in page
    assert "Kostenposition 2" in page
    assert not AmendmentRequest.objects.exists()


def test_an_own_share_too_small_is_shown_at_the_cost_plan(client):
    case = approved_case()
    client.force_login(case.member)
    response = client.post(
        url(case),
        form_data(case, **{"lines-0-unit_price": "2.500,00", "new_amount": "2.300,00"}),
    )
    page = response.content.decode()
    assert 'href="#cost-lines"' in page
    assert "Eigenanteil" in page
    assert not AmendmentRequest.objects.exists()


def test_nothing_changed_is_refused_on_the_page(client):
    case = approved_case()
    client.force_login(case.member)
    decision = case.application.decision
    response = client.post(url(case), form_data(case, new_end=d(decision.period_end)))
    assert "Sie haben nichts geändert." in response.content.decode()
    assert not AmendmentRequest.objects.exists()


def test_a_closed_case_shows_why_no_change_is_possible(client):
    case = approved_case()
    case.application.status = ApplicationStatus.CLOSED
    case.application.save(update_fields=["status"])
    client.force_login(case.member)
    page = client.get(url(case)).content.decode()
    assert 'data-testid="amendment-refusal"' in page
    assert "lines-TOTAL_FORMS" not in page
    response = client.post(url(case), form_data(case))
    assert response.status_code == 200
    assert not AmendmentRequest.objects.exists()


def test_staff_see_the_request_in_the_queue_review_it_and_a_second_person_decides(client):
    case = approved_case()
    client.force_login(case.member)
    client.post(
        url(case), form_data(case, **{"new_amount": "1.300,00", "lines-0-unit_price": "1.500,00"})
    )
    amendment = AmendmentRequest.objects.get()
    staff_url = reverse(
        "applications:staff_amendment",
        kwargs={"pk": case.application.pk, "amendment_id": amendment.pk},
    )

    client.force_login(case.handler)
    queue = client.get(reverse("applications:staff_queue")).content.decode()
    assert 'data-testid="open-amendment"' in queue
    case_page = client.get(reverse("applications:staff_case", kwargs={"pk": case.application.pk}))
    assert staff_url in case_page.content.decode()
    page = client.get(staff_url).content.decode()
    assert "1.500,00" in page and "2.000,00" in page
    no_reason = client.post(staff_url, {"proposal": "reject", "remarks": ""})
    assert 'href="#id_remarks"' in no_reason.content.decode()
    assert client.post(staff_url, {"proposal": "approve", "remarks": "passt"}).status_code == 302
    assert 'data-testid="four-eyes-hint"' in client.get(staff_url).content.decode()

    client.force_login(case.lead)
    assert client.post(staff_url, {"action": "approve", "note": ""}).status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.APPROVED

    client.force_login(case.member)
    detail = client.get(reverse("applications:detail", kwargs={"pk": case.application.pk}))
    assert "Änderungsbescheid" in detail.content.decode()
    download = reverse(
        "applications:download_letter",
        kwargs={"pk": case.application.pk, "letter_id": amendment.letter_id},
    )
    assert client.get(download).status_code == 200
    amendment.letter.refresh_from_db()
    assert amendment.letter.first_downloaded_at is not None, "delivery counts as for any Bescheid"


def test_returning_needs_a_note_at_the_field(client):
    case = approved_case()
    values = amendments.current_values(case.application)
    values["lines"][0].unit_price = Decimal("1500.00")
    amendment = amendments.request_amendment(
        actor=case.member,
        application=case.application,
        new_start=values["new_start"],
        new_end=values["new_end"],
        new_amount=Decimal("1300.00"),
        justification="Weniger Termine.",
        lines=values["lines"],
    )
    amendments.review_amendment(
        actor=case.handler, amendment=amendment, proposal="approve", remarks=""
    )
    client.force_login(case.lead)
    staff_url = reverse(
        "applications:staff_amendment",
        kwargs={"pk": case.application.pk, "amendment_id": amendment.pk},
    )
    response = client.post(staff_url, {"action": "return", "note": ""})
    assert 'href="#id_note"' in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PROPOSED
