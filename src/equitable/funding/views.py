"""Funding pages: funding sources, allocation scenarios (each school's amount, per pupil, need tier and
difference from an even split; the metrics; the even and equitable splits side by side; public LCFF dollars
beside philanthropy), and the finance staff's forms: create, edit, compute, adopt (then locked), copy.

Views stay thin: reads through `funding.queries`/`funding.selectors` (scoped by `restrict`), writes through
`funding.services`. A scenario the user may not see answers 404; a page their role may not open, 403.
Principals and senior directors see adopted scenarios with their own schools' rows and why; board viewers
the network picture (metrics, per-tier aggregates, chart) without school rows; partner users nothing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.roles import Role
from equitable.core.tabular import FORMATS, tabular_response
from equitable.funding import queries, services
from equitable.funding.filters import FundingSourceFilterSet, ScenarioFilterSet
from equitable.funding.forms import CopyForm, FundingSourceForm, ScenarioForm
from equitable.funding.tables import FundingSourceTable, ScenarioTable
from equitable.web.generic import TableListView, run_service

EXPORT = "export"
SOURCE_READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL, Role.BOARD)
# Service errors about things the form shows as a group go to the top of the form.
ALIASES = {"sources": None, "parameters": None, "pool": None}


class ScenarioListView(TableListView):
    title = _("Allocation scenarios")
    table_class = ScenarioTable
    filterset_class = ScenarioFilterSet
    roles = queries.FUNDING_READERS
    export_name = "scenarios"
    empty_text = _("No scenarios you may see yet.")
    filtered_empty_text = _("No scenarios match these filters.")

    def get_queryset(self, request):
        return queries.scenario_list(request.user)

    def extra_context(self, request):
        may_add = queries.may_edit_funding(request.user)
        return {"add_url": reverse("funding:scenario_add") if may_add else None, "add_label": _("New scenario")}


class FundingSourceListView(TableListView):
    title = _("Funding sources")
    table_class = FundingSourceTable
    filterset_class = FundingSourceFilterSet
    roles = SOURCE_READERS
    export_name = "funding-sources"
    empty_text = _("No funding sources yet.")
    filtered_empty_text = _("No funding sources match these filters.")

    def get_queryset(self, request):
        return queries.funding_source_list(request.user)

    def table_kwargs(self, request):
        return {"editable": queries.may_edit_funding(request.user)}

    def extra_context(self, request):
        may_add = queries.may_edit_funding(request.user)
        return {"add_url": reverse("funding:source_add") if may_add else None, "add_label": _("New funding source")}


scenario_list = ScenarioListView.as_view()
source_list = FundingSourceListView.as_view()


def _require_reader(request):
    if not queries.may_read_funding(request.user):
        raise PermissionDenied


def scenario_detail(request, pk: int):
    _require_reader(request)
    export = request.GET.get(EXPORT)
    page = queries.scenario_page(request.user, pk, chart=export not in FORMATS)
    if page is None:
        raise Http404
    if export in FORMATS:
        if request.GET.get("table") == "tiers":
            headers, rows = queries.tier_table_rows(page)
            return tabular_response(f"scenario-{page.scenario.pk}-tiers", headers, rows, export)
        if not page.shows_schools:
            raise PermissionDenied
        headers, rows = queries.allocation_table_rows(page)
        return tabular_response(f"scenario-{page.scenario.pk}-allocations", headers, rows, export)
    return render(request, "funding/scenario_detail.html", {"page": page, "export_formats": FORMATS})


def scenario_compare(request):
    """Two scenarios side by side (?a=ID&b=ID): metrics, each visible school in both, totals by need tier."""
    _require_reader(request)
    choices = list(queries.scenario_list(request.user).order_by("-school_year__start_date", "name"))
    a, b = request.GET.get("a"), request.GET.get("b")
    export = request.GET.get(EXPORT)
    page = None
    if a and b:
        page = queries.compare_scenarios(request.user, a, b, chart=export not in FORMATS)
        if page is None:
            raise Http404
        if export in FORMATS:
            if not page.shows_schools:
                raise PermissionDenied
            headers, rows = queries.comparison_table_rows(page)
            return tabular_response(f"compare-{page.a.pk}-{page.b.pk}", headers, rows, export)
    return render(request, "funding/scenario_compare.html", {
        "page": page, "choices": choices, "a": str(a or ""), "b": str(b or ""), "export_formats": FORMATS})


def _form_page(request, form, scenario=None):
    return render(request, "funding/scenario_form.html", {"form": form, "scenario": scenario})


def scenario_add(request):
    if not queries.may_edit_funding(request.user):
        raise PermissionDenied
    form = ScenarioForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        compute = "compute" in request.POST

        def save():
            # Saving and computing is one step: if the options are infeasible nothing is kept.
            with transaction.atomic():
                data = form.settings_data()
                scenario = services.scenario_create(**data, sources=form.draws(), acting_user=request.user)
                if compute:
                    scenario = services.scenario_compute(scenario=scenario, acting_user=request.user)
            return scenario

        ok, scenario = run_service(form, save, aliases=ALIASES)
        if ok:
            messages.success(request, (_t("The scenario “%(name)s” was computed.") if compute else
                                       _t("The scenario “%(name)s” was saved as a draft.")) % {"name": scenario.name})
            return redirect("funding:scenario_detail", pk=scenario.pk)
    return _form_page(request, form)


def _changeable(request, pk):
    scenario = queries.visible_scenario(request.user, pk)
    if scenario is None:
        raise Http404
    if scenario.is_locked or queries.visible_scenario(request.user, pk, "change") is None:
        raise PermissionDenied
    return scenario


def scenario_edit(request, pk: int):
    scenario = _changeable(request, pk)
    form = ScenarioForm(request.POST or None, user=request.user, scenario=scenario)
    if request.method == "POST" and form.is_valid():
        compute = "compute" in request.POST

        def save():
            with transaction.atomic():
                saved = services.scenario_update(scenario=scenario, data=form.settings_data(), sources=form.draws(),
                                                 acting_user=request.user)
                if compute:
                    saved = services.scenario_compute(scenario=saved, acting_user=request.user)
            return saved

        ok, saved = run_service(form, save, aliases=ALIASES)
        if ok:
            messages.success(request, (_t("The scenario “%(name)s” was computed.") if compute else
                                       _t("The scenario “%(name)s” was saved as a draft.")) % {"name": saved.name})
            return redirect("funding:scenario_detail", pk=saved.pk)
        scenario.refresh_from_db()
    return _form_page(request, form, scenario)


@require_POST
def scenario_compute(request, pk: int):
    scenario = _changeable(request, pk)
    try:
        services.scenario_compute(scenario=scenario, acting_user=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, _t("The scenario could not be computed: %(error)s") % {"error": exc.message})
    else:
        messages.success(request, _t("The scenario “%(name)s” was computed.") % {"name": scenario.name})
    return redirect("funding:scenario_detail", pk=scenario.pk)


def scenario_adopt(request, pk: int):
    """GET: the confirmation page; POST: adopt (the scenario is locked from then on)."""
    scenario = _changeable(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.scenario_adopt(scenario=scenario, acting_user=request.user)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from None
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _t("The scenario “%(name)s” was adopted and is now locked.")
                             % {"name": scenario.name})
            return redirect("funding:scenario_detail", pk=scenario.pk)
    page = queries.scenario_page(request.user, pk, chart=False)
    return render(request, "funding/scenario_adopt.html", {"page": page, "error": error},
                  status=400 if error else 200)


def scenario_copy(request, pk: int):
    """A new version: a draft with the settings and draws of this scenario (adopted or not)."""
    scenario = queries.visible_scenario(request.user, pk)
    if scenario is None:
        raise Http404
    if not queries.may_edit_funding(request.user):
        raise PermissionDenied
    form = CopyForm(request.POST or None, initial={"name": _t("%(name)s (new version)") % {"name": scenario.name}})
    if request.method == "POST" and form.is_valid():
        def save():
            return services.scenario_copy(scenario=scenario, name=form.cleaned_data["name"], acting_user=request.user)

        ok, copy = run_service(form, save)
        if ok:
            messages.success(request, _t("“%(name)s” is a new draft: change it, compute it, adopt it.")
                             % {"name": copy.name})
            return redirect("funding:scenario_detail", pk=copy.pk)
    return render(request, "funding/scenario_copy.html", {"form": form, "scenario": scenario})


# --- funding sources: finance staff add, edit and delete them ------------------------------------------------------

def _source_page(request, form, source=None):
    return render(request, "funding/source_form.html", {"form": form, "source": source})


def source_add(request):
    if not queries.may_edit_funding(request.user):
        raise PermissionDenied
    from equitable.network.models import SchoolYear

    current = SchoolYear.objects.filter(is_current=True).first()
    form = FundingSourceForm(request.POST or None, initial={"school_year": current})
    if request.method == "POST" and form.is_valid():
        ok, source = run_service(form, lambda: services.funding_source_create(data=form.cleaned_data,
                                                                               acting_user=request.user))
        if ok:
            messages.success(request, _t("The funding source “%(name)s” was added.") % {"name": source.name})
            return redirect("funding:source_list")
    return _source_page(request, form)


def _changeable_source(request, pk: int):
    source = queries.funding_source_list(request.user).filter(pk=pk).first()
    if source is None:
        raise Http404
    if not queries.may_edit_funding(request.user):
        raise PermissionDenied
    return source


def source_edit(request, pk: int):
    source = _changeable_source(request, pk)
    # The form works on its own copy, so a refused change leaves `source` as it was for the service.
    form = FundingSourceForm(request.POST or None, instance=queries.funding_source_list(request.user).get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        ok, saved = run_service(form, lambda: services.funding_source_update(source=source, data=data,
                                                                              acting_user=request.user))
        if ok:
            messages.success(request, _t("The funding source “%(name)s” was saved.") % {"name": saved.name})
            return redirect("funding:source_list")
    return _source_page(request, form, source)


@require_POST
def source_delete(request, pk: int):
    source = _changeable_source(request, pk)
    try:
        services.funding_source_delete(source=source, acting_user=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, _t("The funding source could not be deleted: %(error)s") % {"error": exc.message})
        return redirect("funding:source_edit", pk=source.pk)
    messages.success(request, _t("The funding source “%(name)s” was deleted.") % {"name": source.name})
    return redirect("funding:source_list")
