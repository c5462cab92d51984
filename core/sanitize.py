"""The one allow-list for rich text: what CKEditor 5 produces, and nothing that can run.

Plain Python over nh3 (the Rust ammonia sanitiser). Every rich-text field of every app calls
`clean_html` on save through `core.fields.RichTextField`; templates may then mark the stored
value safe because nothing else writes to those columns.
"""

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "figure", "figcaption", "img", "table",
    "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "hr", "span", "mark",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "target"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "p": {"style"},
    "h2": {"style"},
    "h3": {"style"},
    "h4": {"style"},
    "figure": {"style"},
}

# CKEditor's own class names for image and table layout.
ALLOWED_CLASSES = {
    "figure": {"image", "table", "image-style-side", "image-style-align-left",
               "image-style-align-center", "image-style-align-right", "image_resized"},
    "span": {"text-tiny", "text-small", "text-big", "text-huge"},
    "mark": {"marker-yellow", "marker-green", "marker-pink", "marker-blue"},
}  # fmt: skip

# Alignment and image width are the only styles the editor needs; nothing else survives.
ALLOWED_STYLE_PROPERTIES = {"text-align", "width"}

# Absolute URLs must use one of these; data: and javascript: are dropped.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(html: str | None) -> str:
    """Return `html` with every tag, attribute, style and URL outside the allow-list removed."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
