"""Template side of kitz_portal.language_of_parts: lang="de" around German-only database text."""

from django import template

from kitz_portal.language_of_parts import (
    has_translation,
    localised_text,
    mark_german,
    page_language,
)

register = template.Library()


@register.filter
def lang_de(text):
    """``{{ programme.title|lang_de }}``: text that exists only in German."""
    return mark_german(text)


@register.filter
def localised(obj, field):
    """``{{ handlungsfeld|localised:"name" }}``: the translation when there is one, otherwise the
    German text marked as German."""
    return localised_text(obj, field)


@register.filter
def translated(obj, field):
    """``{% lang_de unless=handlungsfeld|translated:"description" %}``."""
    return has_translation(obj, field)


class LangDeNode(template.Node):
    def __init__(self, nodelist, unless):
        self.nodelist = nodelist
        self.unless = unless

    def render(self, context):
        content = self.nodelist.render(context)
        if page_language() == "de" or (self.unless is not None and self.unless.resolve(context)):
            return content
        return f'<div lang="de">{content}</div>'


@register.tag(name="lang_de")
def do_lang_de(parser, token):
    """``{% lang_de %}…{% endlang_de %}`` wraps block content (paragraphs) in ``<div lang="de">``;
    ``{% lang_de unless=<expression> %}`` leaves it bare when the expression is true."""
    unless = None
    for bit in token.split_contents()[1:]:
        if not bit.startswith("unless="):
            raise template.TemplateSyntaxError("lang_de takes only unless=<expression>")
        unless = parser.compile_filter(bit.removeprefix("unless="))
    nodelist = parser.parse(("endlang_de",))
    parser.delete_first_token()
    return LangDeNode(nodelist, unless)
