from django import template

from applications.letters import letters_for_application

register = template.Library()


@register.simple_tag
def decision_letters(application):
    """The Bescheide of an application, for the pages of applicants and staff."""
    return list(letters_for_application(application))
