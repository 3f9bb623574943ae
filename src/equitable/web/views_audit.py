"""The audit log page: recent changes across every audited record (network admins only)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.core.tabular import tabular_response
from equitable.web.audit_log import EXPORT_LIMIT, audit_entries, model_choices
from equitable.web.generic import render_page

PER_PAGE = 50
CHANGE_CHOICES = [("", _("any change")), ("+", _("created")), ("~", _("changed")), ("-", _("deleted"))]


class AuditLogFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    user = forms.ModelChoiceField(label=_("Changed by"), queryset=get_user_model().objects.none(), required=False,
                                  empty_label=_("anyone"))
    change = forms.ChoiceField(label=_("Change"), choices=CHANGE_CHOICES, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("all records")), *model_choices()]
        self.fields["user"].queryset = get_user_model().objects.order_by("username")

    def criteria(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        user = data.get("user")
        return {"model": data.get("model") or "", "user_id": user.pk if user else None,
                "change": data.get("change") or "", "since": data.get("since"), "until": data.get("until")}


class _CountedPage(list):
    """A stand-in object list so Django's Paginator can page a merged stream by its total count."""

    def __init__(self, total: int):
        super().__init__()
        self.total = total

    def count(self):  # noqa: D401 - Paginator asks for count()
        return self.total


def audit_log(request):
    if role_of(request.user) != Role.ADMIN:
        raise PermissionDenied
    form = AuditLogFilterForm(request.GET or None)
    criteria = form.criteria()
    if request.GET.get("export") == "csv":
        rows, _total = audit_entries(**criteria, limit=EXPORT_LIMIT)
        headers = ["when", "record type", "record id", "record", "who", "change", "reason"]
        return tabular_response("audit-log", headers, [
            (row.when.isoformat(), row.model_label, row.object_id, row.object_label, row.who, row.change, row.reason)
            for row in rows
        ], "csv")
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    rows, total = audit_entries(**criteria, offset=(page_number - 1) * PER_PAGE, limit=PER_PAGE)
    paginator = Paginator(_CountedPage(total), PER_PAGE)
    page = paginator.get_page(page_number)
    return render_page(request, "web/audit_log.html", "web/_audit_region.html", {
        "form": form, "rows": rows, "total": total, "page": page, "export_limit": EXPORT_LIMIT,
    })
