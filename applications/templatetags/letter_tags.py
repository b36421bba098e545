from django import template

from applications.letters import letters_for_application

register = template.Library()


@register.simple_tag
def decision_letters(application):
    """The Bescheide of an application, for the pages of applicants and staff."""
    return list(letters_for_application(application))


@register.simple_tag
def posting_form_for(letter, bound=None):
    """The form to record the posting of a letter; the submitted one when it has errors."""
    from applications.letter_views import PostingForm

    if bound is not None and bound.letter_id == letter.pk:
        return bound
    return PostingForm(letter=letter)
