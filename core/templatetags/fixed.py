"""`{% fixed %}…{% endfixed %}`: a part of a template whose HTML depends on the active language
only (headings, fixed links, the Center's tracks): rendered once per language and process, then
reused. It is rendered in a context of its own, so it cannot read the request, the person or the
data; `{% fixed tracks=tracks %}` hands it values that never change (module constants), and
`vary=` a small hashable value it may also depend on (the navigation's role flags), which joins
the key. The key is the template, the tag's rank in it, the language and `vary`, so two tags
never share an entry."""

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()

_rendered: dict[tuple, str] = {}


class FixedNode(template.Node):
    # The part is not walked for blocks: an `{% extends %}` looks for them in the parent's
    # nodes on every render, and a fixed part holds none (it could not vary by page).
    child_nodelists = ()

    def __init__(self, nodelist, key, constants):
        self.nodelist = nodelist
        self.key = key
        self.constants = constants

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.constants.items()}
        key = (*self.key, translation.get_language(), values.get("vary"))
        html = _rendered.get(key)
        if html is None:
            html = self.nodelist.render(context.new(values))
            _rendered[key] = html
        return mark_safe(html)  # noqa: S308 - rendered from the project's own template


@register.tag
def fixed(parser, token):
    constants = template.base.token_kwargs(token.split_contents()[1:], parser)
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    rank = getattr(parser, "_fixed_rank", 0) + 1
    parser._fixed_rank = rank
    name = getattr(parser.origin, "name", "") if getattr(parser, "origin", None) else ""
    return FixedNode(nodelist, (name, rank), constants)


def forget() -> None:
    """Drop every rendered part (tests that change translations or URLs at run time)."""
    _rendered.clear()
