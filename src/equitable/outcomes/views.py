"""Outcomes pages: a school's Dashboard, the network dashboard and goals. Views stay thin: selectors read
(scoped by `restrict`), services write. A school the user may not view answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from equitable.core.tabular import FORMATS, tabular_response
from equitable.outcomes import selectors, services
from equitable.outcomes.filters import GoalFilterSet
from equitable.outcomes.forms import GoalForm
from equitable.outcomes.models import Goal
from equitable.outcomes.tables import GoalTable
from equitable.web.generic import TableListView, run_service

EXPORT = "export"


def school_outcomes(request, cds_code: str):
    export = request.GET.get(EXPORT)
    outcomes = selectors.school_outcomes(request.user, cds_code, group_indicator=request.GET.get("indicator", ""),
                                         charts=export not in FORMATS)
    if outcomes is None:
        raise Http404
    if export in FORMATS:
        headers, rows = selectors.group_table_rows(outcomes.groups)
        return tabular_response(f"outcomes-{cds_code}", headers, rows, export)
    return render(request, "outcomes/school.html", {"outcomes": outcomes, "school": outcomes.school,
                                                    "export_formats": FORMATS})


EXPORTS = {
    "trend": selectors.trend_table_rows,
    "gaps": selectors.gap_table_rows,
    "schools": selectors.school_color_table_rows,
}


def dashboard(request):
    if not selectors.may_view_dashboard(request.user):
        raise PermissionDenied
    export = request.GET.get(EXPORT)
    table = request.GET.get("table", "trend")
    data = selectors.network_dashboard(request.user, charts=export not in FORMATS)
    if export in FORMATS and table in EXPORTS:
        if table == "schools" and not data.shows_schools:
            raise PermissionDenied
        headers, rows = EXPORTS[table](data)
        return tabular_response(f"network-outcomes-{table}", headers, rows, export)
    return render(request, "outcomes/dashboard.html", {"dashboard": data, "export_formats": FORMATS})


class GoalListView(TableListView):
    title = _("Goals")
    table_class = GoalTable
    filterset_class = GoalFilterSet
    roles = selectors.DASHBOARD_READERS
    export_name = "goals"
    empty_text = _("No goals have been set yet.")
    filtered_empty_text = _("No goals match these filters.")

    def get_queryset(self, request):
        return selectors.goal_list(request.user)

    def table_kwargs(self, request):
        editable = frozenset(Goal.objects.restrict(request.user, "change").values_list("pk", flat=True))
        return {"editable": editable}

    def extra_context(self, request):
        may_add = selectors.may_add_goal(request.user)
        return {"add_url": reverse("outcomes:goal_add") if may_add else None, "add_label": _("Add a goal")}


goal_list = GoalListView.as_view()


def _goal_page(request, form, goal=None):
    return render(request, "outcomes/goal_form.html", {"form": form, "goal": goal})


def goal_add(request):
    if not selectors.may_add_goal(request.user):
        raise PermissionDenied
    form = GoalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        def save():
            return services.goal_create(data=form.cleaned_data, acting_user=request.user)
        ok, goal = run_service(form, save)
        if ok:
            messages.success(request, _t("The goal “%(goal)s” was added.") % {"goal": goal.name})
            return redirect("outcomes:goal_list")
    return _goal_page(request, form)


def goal_edit(request, pk: int):
    goal = selectors.visible_goal(request.user, pk)
    if goal is None:
        raise Http404
    if selectors.visible_goal(request.user, pk, "change") is None:
        raise PermissionDenied
    form = GoalForm(request.POST or None, instance=goal, user=request.user)
    if request.method == "POST" and form.is_valid():
        def save():
            return services.goal_update(goal=goal, data=form.cleaned_data, acting_user=request.user)
        ok, _saved = run_service(form, save)
        if ok:
            messages.success(request, _t("The goal “%(goal)s” was saved.") % {"goal": goal.name})
            return redirect("outcomes:goal_list")
        goal.refresh_from_db()
    return _goal_page(request, form, goal)
