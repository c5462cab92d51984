from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number, parameter="page"):
    """This page's query string with `parameter` set to `number`, the other filters kept."""
    query = context["request"].GET.copy()
    query[parameter] = number
    return f"?{query.urlencode()}"
