from django import template

from core import desk

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_panels(context):
    request = context.get("request")
    return desk.panels(request) if request is not None else []


@register.simple_tag(takes_context=True)
def desk_counts(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff:
        return []
    return desk.counts(request)
