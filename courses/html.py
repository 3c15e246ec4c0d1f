"""Lesson content is rich text written by program managers, in Markdown (or HTML for lessons
written before Markdown): sanitised with nh3 to an allow-list of structural tags before it is
stored, so no script or event handler ever reaches a trainee."""

import nh3
from markdown_it import MarkdownIt

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


# Markdown as authors write it: CommonMark, plus tables and strikethrough; a single line break
# stays a line break (authors paste text whose lines were meant as lines) and a "- " line starts a
# list even right after a paragraph. HTML inside Markdown is kept (Markdown is a superset of
# HTML, so content pasted from an older lesson still reads the same), because the rendered HTML
# goes through clean_html like everything stored.
_MARKDOWN = MarkdownIt("commonmark", {"breaks": True, "html": True}).enable(
    ["table", "strikethrough"]
)


def render_markdown(text: str) -> str:
    if not text or not text.strip():
        return ""
    return clean_html(_MARKDOWN.render(text))
