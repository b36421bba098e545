"""Builders for the time after the Bescheid: an approved case with its Zuwendungsbescheid."""

from dataclasses import dataclass

from applications import services
from applications.models import Application, UsageCheckItem, UsageCheckOutcome
from tests.factories import case_handler, signing_authority
from tests.review_helpers import applicant_of, recommended_application


@dataclass
class ApprovedCase:
    application: Application
    handler: object
    lead: object
    member: object

    @property
    def letter(self):
        return self.application.letters.get(kind="grant")


def approved_case(**kwargs):
    """A case reviewed by a case handler, approved by a lead (1.800,00 €), Bescheid issued."""
    handler, lead = case_handler(), signing_authority()
    application = recommended_application(handler, **kwargs)
    services.decide_application(actor=lead, application=application, action="approve")
    application.refresh_from_db()
    return ApprovedCase(
        application=application, handler=handler, lead=lead, member=applicant_of(application)
    )


def checklist_all_met():
    """Every point of the staff checklist of a Verwendungsnachweis answered "erfüllt"."""
    return {item.value: (UsageCheckOutcome.MET, "") for item in UsageCheckItem}


def checklist_post_data(remarks="", **outcomes):
    """The checklist form as posted: every point "met" unless given otherwise."""
    data = {"remarks": remarks}
    for item in UsageCheckItem:
        data[item.value] = outcomes.get(item.value, UsageCheckOutcome.MET)
        data[f"{item.value}_remark"] = ""
    return data
