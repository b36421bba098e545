"""Template helpers of the KERN crispy-forms template pack."""

from django import template

register = template.Library()


@register.filter
def kern_describedby(field):
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def kern_widget(field, css_class):
    """Render a field's widget with the KERN classes and its hint and error linked."""
    attrs = {}
    existing = field.field.widget.attrs.get("class", "")
    classes = [css_class, existing]
    if field.errors:
        classes.append(f"{css_class}--error")
        attrs["aria-invalid"] = "true"
    attrs["class"] = " ".join(c for c in classes if c)
    describedby = kern_describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)
