"""Need pages: the indicator registry and values, need models with every school's score, rank, tier and
per-indicator contributions, one school's drill-down ("why is this school Highest need?"), two models side
by side. Views stay thin: reads through `equity.selectors`/`equity.queries` (scoped by `restrict`), writes
through `equity.services`. A record the user may not see answers 404; a page their role may not open, 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.permissions import role_of
from equitable.core.roles import Role
from equitable.core.tabular import FORMATS, tabular_response
from equitable.equity import queries, services
from equitable.equity.filters import IndicatorFilterSet, IndicatorValueFilterSet, NeedModelFilterSet
from equitable.equity.forms import CompareForm, NeedModelForm
from equitable.equity.tables import IndicatorTable, IndicatorValueTable, NeedModelTable
from equitable.web.generic import TableListView, run_service

EXPORT = "export"
VALUE_READERS = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.PRINCIPAL)


def _require_reader(request):
    if not queries.may_read_need(request.user):
        raise PermissionDenied


class IndicatorListView(TableListView):
    title = _("Need indicators")
    table_class = IndicatorTable
    filterset_class = IndicatorFilterSet
    roles = queries.NEED_READERS
    export_name = "indicators"
    empty_text = _("No indicators have been defined yet.")
    filtered_empty_text = _("No indicators match these filters.")

    def get_queryset(self, request):
        return queries.indicator_list(request.user)

    def table_kwargs(self, request):
        return {"link_values": role_of(request.user) in VALUE_READERS}


class IndicatorValueListView(TableListView):
    title = _("Indicator values")
    table_class = IndicatorValueTable
    filterset_class = IndicatorValueFilterSet
    roles = VALUE_READERS
    export_name = "indicator-values"
    empty_text = _("No indicator values you may see yet.")
    filtered_empty_text = _("No indicator values match these filters.")

    def get_queryset(self, request):
        return queries.indicator_value_list(request.user)


class NeedModelListView(TableListView):
    title = _("Need index")
    table_class = NeedModelTable
    filterset_class = NeedModelFilterSet
    roles = queries.NEED_READERS
    export_name = "need-models"
    empty_text = _("No need models yet. Finance staff create one by giving each indicator a weight.")
    filtered_empty_text = _("No need models match these filters.")

    def get_queryset(self, request):
        return queries.need_model_list(request.user)

    def extra_context(self, request):
        may_add = queries.may_edit_need(request.user)
        return {"add_url": reverse("equity:model_add") if may_add else None, "add_label": _("New need model")}


indicator_list = IndicatorListView.as_view()
value_list = IndicatorValueListView.as_view()
model_list = NeedModelListView.as_view()


def model_detail(request, pk: int):
    _require_reader(request)
    page = queries.need_model_page(request.user, pk)
    if page is None:
        raise Http404
    export = request.GET.get(EXPORT)
    if export in FORMATS:
        if not page.shows_schools:
            raise PermissionDenied
        headers, rows = queries.score_table_rows(page)
        return tabular_response(f"need-scores-{page.model.pk}", headers, rows, export)
    compare = CompareForm(user=request.user, exclude_pk=page.model.pk)
    return render(request, "equity/model_detail.html", {"page": page, "compare_form": compare,
                                                        "export_formats": FORMATS})


def model_school(request, pk: int, cds_code: str):
    _require_reader(request)
    page = queries.school_need(request.user, pk, cds_code)
    if page is None:
        raise Http404
    return render(request, "equity/model_school.html", {"page": page})


def model_compare(request, pk: int):
    _require_reader(request)
    model = queries.visible_need_model(request.user, pk)
    if model is None:
        raise Http404
    form = CompareForm(request.GET or None, user=request.user, exclude_pk=model.pk)
    comparison = None
    if form.is_valid():
        comparison = queries.compare_need_models(request.user, model.pk, form.cleaned_data["other"].pk)
        if comparison is None:
            raise PermissionDenied
        export = request.GET.get(EXPORT)
        if export in FORMATS:
            headers, rows = queries.comparison_table_rows(comparison)
            return tabular_response(f"need-compare-{model.pk}-{comparison.b.pk}", headers, rows, export)
    elif not queries.sees_school_rows(request.user):
        raise PermissionDenied
    return render(request, "equity/model_compare.html", {"model": model, "form": form, "comparison": comparison,
                                                         "export_formats": FORMATS})


def _model_form_page(request, form, model=None):
    return render(request, "equity/model_form.html", {"form": form, "model": model})


WEIGHT_ALIASES = {"weights": None}


def model_add(request):
    if not queries.may_edit_need(request.user):
        raise PermissionDenied
    form = NeedModelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        def save():
            return services.need_model_create(data=form.model_data(), weights=form.weights(),
                                              acting_user=request.user)
        ok, model = run_service(form, save, aliases=WEIGHT_ALIASES)
        if ok:
            messages.success(request, _t("The need model “%(name)s” was created. Compute it to score the schools.")
                             % {"name": model.name})
            return redirect("equity:model_detail", pk=model.pk)
    return _model_form_page(request, form)


def model_edit(request, pk: int):
    model = queries.visible_need_model(request.user, pk)
    if model is None:
        raise Http404
    if queries.visible_need_model(request.user, pk, "change") is None:
        raise PermissionDenied
    weights = {w.indicator.code: w.weight for w in model.weights.select_related("indicator")}
    form = NeedModelForm(request.POST or None, instance=model, weights=weights)
    if request.method == "POST" and form.is_valid():
        def save():
            return services.need_model_update(need_model=model, data=form.model_data(), weights=form.weights(),
                                              acting_user=request.user)
        ok, _saved = run_service(form, save, aliases=WEIGHT_ALIASES)
        if ok:
            messages.success(request, _t("The need model “%(name)s” was saved. Compute it again to update the "
                                         "scores.") % {"name": model.name})
            return redirect("equity:model_detail", pk=model.pk)
        model.refresh_from_db()
    return _model_form_page(request, form, model)


@require_POST
def model_compute(request, pk: int):
    model = queries.visible_need_model(request.user, pk)
    if model is None:
        raise Http404
    try:
        scores = services.need_model_compute(need_model=model, acting_user=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        messages.error(request, _t("The need model could not be computed: %(error)s") % {"error": exc.message})
    else:
        messages.success(request, _t("Computed: %(count)s schools scored.") % {"count": len(scores)})
    return redirect("equity:model_detail", pk=model.pk)
