"""Panels that other apps' pages embed: the cases of a child, on the child's page.

The child's page belongs to ``children``, which must not import ``cases`` (cases
depend on children). The page loads this tag library instead; the cases it shows come
from the case scope, like every other read of cases.
"""

from typing import Any

from django import template

from komar.cases.selectors import child_cases

register = template.Library()


@register.inclusion_tag("cases/_case_table.html", takes_context=True)
def child_cases_panel(context: template.Context, child: Any) -> dict[str, Any]:
    """Render the cases of ``child`` that the signed-in user may see."""
    return {
        "request": context["request"],
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
        "cases": child_cases(user=context["request"].user, child=child),
    }
