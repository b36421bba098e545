from django import template

from applications.forms import CaseMessageForm
from applications.selectors import messages_for_applicant

register = template.Library()


@register.inclusion_tag("applications/_applicant_messages.html")
def applicant_messages(application):
    """The applicant's view of the case conversation: open question, messages, a reply form."""
    return {
        "application": application,
        "message_form": CaseMessageForm(),
        **messages_for_applicant(application),
    }
