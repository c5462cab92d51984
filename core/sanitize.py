"""The one allow-list for rich text: what CKEditor 5 produces, and nothing that can run.

Plain Python over nh3 (the Rust ammonia sanitiser). Every rich-text field of every app calls
`clean_html` on save through `core.fields.RichTextField`; templates may then mark the stored
value safe because nothing else writes to those columns.
"""

import re
from html import escape
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "figure", "figcaption", "img", "table",
    "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "hr", "span", "mark",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "target"},
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
# ... and only with the values the editor writes. nh3 filters properties by name but keeps any
# value, so `width: expression(…)` or `width: 1px\;behavior: url(…)` would pass without this.
ALLOWED_STYLE_VALUES = {
    "text-align": re.compile(r"left|right|center|justify|start|end"),
    "width": re.compile(r"\d{1,5}(\.\d{1,4})?(px|%|em|rem)"),
}

# nh3 allows these on every element; the editor keeps neither, so an edit would drop them and
# every save of an untouched body would record a change.
GENERIC_DROPPED = {"title", "lang"}

# Absolute URLs must use one of these; data: and javascript: are dropped.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


# Values clean_html returned lately. Cleaning is idempotent, so one of them comes back as it
# is: an article saved with its history (the historical row's field cleans the same body
# again) or imported in bulk is cleaned once, not twice. Emptied when full.
_RECENTLY_CLEANED: dict[str, None] = {}
RECENTLY_CLEANED_MAX = 256


def clean_html(html: str | None) -> str:
    """Return `html` with every tag, attribute, style and URL outside the allow-list removed."""
    if not html:
        return ""
    if html in _RECENTLY_CLEANED:
        return html
    cleaned = _clean_html(html)
    _RECENTLY_CLEANED[cleaned] = None
    if len(_RECENTLY_CLEANED) > RECENTLY_CLEANED_MAX:
        _RECENTLY_CLEANED.clear()
    return cleaned


def _clean_html(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_allowed_style_values,
    ).strip()
    return normalize_html(cleaned)


def _allowed_style_values(element: str, attribute: str, value: str) -> str | None:
    """Keep the style declarations whose value the allow-list names; drop the rest."""
    if attribute in GENERIC_DROPPED:
        return None
    if attribute != "style":
        return value
    kept = []
    for declaration in value.split(";"):
        name, _, css_value = declaration.partition(":")
        name, css_value = name.strip().lower(), css_value.strip().lower()
        pattern = ALLOWED_STYLE_VALUES.get(name)
        if pattern is not None and pattern.fullmatch(css_value):
            kept.append(f"{name}:{css_value}")
    return ";".join(kept) or None


# Elements that mean nothing without content: an editor's round trip drops them.
EMPTY_DROPPED = {"span", "strong", "b", "em", "i", "u", "s", "sub", "sup", "mark", "code", "a"}
VOID_TAGS = {"br", "hr", "img"}
BLOCK_TAGS = {
    "p", "h2", "h3", "h4", "pre", "blockquote", "ul", "ol", "li", "figure", "figcaption",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "hr",
}  # fmt: skip
# Where text never sits directly: whitespace inside them only separates blocks.
CONTAINER_TAGS = {"", "ul", "ol", "table", "thead", "tbody", "tfoot", "tr", "blockquote", "figure"}


def normalize_html(html: str) -> str:
    """One spelling for the same content: sorted attributes, no empty inline elements, no
    whitespace between blocks. Saving a body nobody touched then stores the same bytes."""
    builder = _Normalizer()
    builder.feed(html)
    builder.close()
    return builder.result()


class _Normalizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        # Each open element: (tag, start tag text, parts written inside it so far).
        self.stack: list[tuple[str, str, list[str]]] = [("", "", [])]

    def handle_starttag(self, tag, attrs):
        attributes = "".join(
            f' {name}="{escape(value or "", quote=True)}"' for name, value in sorted(attrs)
        )
        start = f"<{tag}{attributes}>"
        if tag in VOID_TAGS:
            self._write(start)
        else:
            self.stack.append((tag, start, []))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or not any(open_tag == tag for open_tag, _, _ in self.stack[1:]):
            return
        while True:
            open_tag, start, parts = self.stack.pop()
            inner = "".join(parts)
            if tag in BLOCK_TAGS or open_tag in BLOCK_TAGS:
                inner = inner.strip() if open_tag not in ("pre",) else inner
            if open_tag == "table" and self.stack[-1][0] != "figure":
                # CKEditor writes every table inside a figure; so do we, from the start.
                self._write(f'<figure class="table">{start}{inner}</table></figure>')
            elif not (open_tag in EMPTY_DROPPED and not inner.strip()):
                self._write(f"{start}{inner}</{open_tag}>")
            elif inner:
                self._write(inner)
            if open_tag == tag:
                return

    def handle_data(self, data):
        if not data.strip() and self.stack[-1][0] in CONTAINER_TAGS:
            return  # the line breaks between blocks
        self._write(escape(data, quote=False))

    def _write(self, text):
        self.stack[-1][2].append(text)

    def result(self) -> str:
        while len(self.stack) > 1:
            self.handle_endtag(self.stack[-1][0])
        return "".join(self.stack[0][2]).strip()
