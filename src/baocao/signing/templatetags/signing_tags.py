"""Template tags that let another page show signing without knowing its context:

{% load signing_tags %}
{% sign_send_form report %}      the sign-and-send form (posts to signing:send), for the leader's send step
{% signed_copies_link report %}  a link to the report's signed copies, with the official copy's version
"""

from __future__ import annotations

from typing import Any

from django import template

# Look-ups only: the form and the link load no pyHanko (the template engine imports this module in every
# process, for any page); signing and verifying import it when they run.
from baocao.signing import lookup

register = template.Library()


@register.simple_tag(takes_context=True)
def can_sign(context: dict[str, Any], report: Any) -> bool:
    user = context["request"].user
    return user.is_authenticated and lookup.leader_key(report.unit, user) is not None


@register.inclusion_tag("signing/_send_form.html", takes_context=True)
def sign_send_form(context: dict[str, Any], report: Any) -> dict[str, Any]:
    from baocao.signing.views import sign_context

    request = context["request"]
    return {**sign_context(report, request.user), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("signing/_copies_link.html")
def signed_copies_link(report: Any) -> dict[str, Any]:
    return {"report": report, "official": lookup.official_copy(report)}
