"""Lesson content is rich text written by program managers: sanitised with nh3 to an allow-list
of structural tags before it is stored, so no script or event handler ever reaches a trainee."""

import nh3

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
    "ul", "ol", "li", "dl", "dt", "dd",
    "a", "strong", "b", "em", "i", "u", "s", "mark", "small", "sub", "sup", "abbr", "q", "cite",
    "span", "bdi", "bdo",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    # Direction matters in mixed Arabic and English content.
    "*": {"dir", "lang"},
}
# Dropped together with their content (the text of a script or style is not lesson text).
REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


def clean_html(html: str) -> str:
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
