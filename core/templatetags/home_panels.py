"""`{% home_panel panel %}`: renders one registered home panel (core.home) within the page's
context, with the panel's collected values on top."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def home_panel(context, panel):
    compiled = context.template.engine.get_template(panel.template)
    with context.push(panel.context):
        return compiled.render(context)
