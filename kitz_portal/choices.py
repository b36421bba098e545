from django.utils.encoding import force_str


def choice_label(choices, value):
    """The label of one TextChoices value.

    Django's generated get_FOO_display builds a dict of every (lazy) label on each call and so
    translates all of them; a list of 50 cases paid for that twice per row.
    """
    try:
        return force_str(choices(value).label)
    except ValueError:
        return value
