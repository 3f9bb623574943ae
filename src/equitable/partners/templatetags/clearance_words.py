"""`{{ status|reason }}`: a clearance status's reason in the reader's language. The pure engine
(`partners.clearance`) gives the reason as a key with arguments; this is where it is worded."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _wordings() -> dict[str, str]:
    return {
        "cleared_until": _("Cleared until %(day)s"),
        "cleared": _("Cleared"),
        "missing": _("Missing: %(items)s"),
        "expired": _("Expired: %(items)s"),
        "pending": _("Awaiting the principal's approval"),
        "not_requested": _("No approval requested for this campus"),
        "denied": _("Denied by the principal"),
        "no_tier": _("No clearance tier assigned"),
    }


def reason_text(status) -> str:
    """The status's reason worded in the active language (its English `reason` when it carries no key)."""
    key = getattr(status, "reason_key", None)
    wording = _wordings().get(key or "")
    if wording is None:
        return getattr(status, "reason", "") or ""
    args = dict(getattr(status, "reason_args", {}) or {})
    if key == "missing":
        args["items"] = ", ".join(args["items"])
    elif key == "expired":
        args["items"] = ", ".join(_("%(name)s on %(day)s") % {"name": name, "day": day} for name, day in args["items"])
    return wording % args


@register.filter(name="reason")
def reason_filter(status) -> str:
    return reason_text(status) if status else ""
