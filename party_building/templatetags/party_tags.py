from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, parameter, number):
    """The current query string with ``parameter`` set to ``number``: pages keep the filters."""
    query = context["request"].GET.copy()
    query[parameter] = number
    return "?" + query.urlencode()
