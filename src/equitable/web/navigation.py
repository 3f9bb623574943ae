"""The navigation follows the network's areas of practice; a section appears once it is built and the
user may reach it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from equitable.core.permissions import role_of
from equitable.core.roles import Role

INTERNAL = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL)
EVERYONE = (*INTERNAL, Role.PARTNER, Role.BOARD)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = INTERNAL


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...] = field(default_factory=tuple)


SECTIONS: list[NavSection] = [
    NavSection(
        _("Network"),
        (
            NavItem(_("At a glance"), "home", EVERYONE),
            NavItem(_("Schools"), "network:school_list"),
            NavItem(_("Communities"), "network:community_list", (*INTERNAL, Role.BOARD)),
            NavItem(_("Feeder patterns"), "network:feederpattern_list"),
            NavItem(_("People"), "network:person_list"),
        ),
    ),
    NavSection(
        _("Outcomes"),
        (
            NavItem(_("Network dashboard"), "outcomes:dashboard", (*INTERNAL, Role.BOARD)),
            NavItem(_("Goals"), "outcomes:goal_list", (*INTERNAL, Role.BOARD)),
        ),
    ),
    NavSection(
        _("Need and resources"),
        (
            NavItem(_("Need index"), "equity:model_list", (*INTERNAL, Role.BOARD)),
            NavItem(_("Indicators"), "equity:indicator_list", (*INTERNAL, Role.BOARD)),
            NavItem(_("Allocation scenarios"), "funding:scenario_list", (*INTERNAL, Role.BOARD)),
            NavItem(_("Compare scenarios"), "funding:scenario_compare", (*INTERNAL, Role.BOARD)),
            NavItem(_("Funding sources"), "funding:source_list", (*INTERNAL, Role.BOARD)),
        ),
    ),
    NavSection(
        _("Community partners"),
        (
            NavItem(_("My organization"), "partners:portal", (Role.PARTNER,)),
            NavItem(_("Partner directory"), "partners:partner_list", INTERNAL),
            NavItem(_("Focus areas"), "partners:focusarea_list", (Role.ADMIN, Role.STAFF)),
            NavItem(_("School needs"), "partners:assessment_list", INTERNAL),
            NavItem(_("Needs landscape"), "partners:landscape", (Role.ADMIN, Role.STAFF, Role.DIRECTOR)),
            NavItem(_("Matching"), "partners:match", (Role.ADMIN, Role.STAFF)),
            NavItem(_("Agreements"), "partners:agreement_list", (*INTERNAL, Role.PARTNER)),
            NavItem(_("Clearance"), "partners:clearance", (*INTERNAL, Role.PARTNER)),
            NavItem(_("Campus approvals"), "partners:approval_list", (Role.ADMIN, Role.STAFF, Role.PRINCIPAL)),
            NavItem(_("Expiring soon"), "partners:expiring", (*INTERNAL, Role.PARTNER)),
            NavItem(_("Convenings"), "partners:convening_list", (*INTERNAL, Role.PARTNER)),
            NavItem(_("Relationships"), "partners:relationships", (*INTERNAL, Role.BOARD)),
            NavItem(_("Partner survey"), "partners:survey_list", (Role.ADMIN, Role.STAFF)),
        ),
    ),
    NavSection(
        _("Administration"),
        (
            NavItem(_("Imports"), "core:import", (Role.ADMIN, Role.STAFF)),
            NavItem(_("Audit log"), "audit_log", (Role.ADMIN,)),
            NavItem(_("API"), "api-docs", INTERNAL),
        ),
    ),
]


def sections_for(user) -> list[dict]:
    role = role_of(user)
    if role is None:
        return []
    out = []
    for section in SECTIONS:
        items = []
        for item in section.items:
            if role not in item.roles:
                continue
            try:
                url = reverse(item.url_name)
            except Exception:  # a section not built yet stays out of the menu
                continue
            items.append({"label": item.label, "url": url})
        if items:
            out.append({"label": section.label, "items": items})
    return out
