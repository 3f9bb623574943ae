"""Generic pieces of the registry's pages (after NetBox's small declarative views).

- `ChoosableTable`: a django-tables2 table whose columns the user picks (`?columns=name&columns=…`),
  with default columns when none are chosen.
- `TableListView`: a list page = a selector's scoped queryset + the model's FilterSet + a table, with
  sorting, pagination, column choice, HTMX partial updates (only the table region is swapped) and
  CSV/XLSX export of exactly what is shown (same filters, same columns, same order, all pages).
- `apply_domain_error`: a service's DomainError becomes form errors on the right fields.
"""

from __future__ import annotations

from collections.abc import Sequence

import django_tables2 as tables
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views import View
from django_tables2 import RequestConfig

from equitable.core.exceptions import DomainError, NotPermitted
from equitable.core.permissions import role_of
from equitable.core.tabular import FORMATS, tabular_response

EXPORT_PARAM = "export"
COLUMNS_PARAM = "columns"


def wants_partial(request: HttpRequest) -> bool:
    """An HTMX request swaps a region of the page; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page(request: HttpRequest, template: str, partial: str, context: dict) -> HttpResponse:
    """Render the full page, or just the partial region for HTMX requests (varying the cache on it)."""
    response = render(request, partial if wants_partial(request) else template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


class ChoosableTable(tables.Table):
    """A table whose visible columns are chosen by the user."""

    default_columns: Sequence[str] = ()

    def __init__(self, *args, column_headers: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, header in (column_headers or {}).items():
            if name in self.columns.columns:
                self.columns.columns[name].column.verbose_name = header

    @classmethod
    def column_names(cls) -> list[str]:
        return list(cls.base_columns)

    @classmethod
    def column_labels(cls, headers: dict[str, str] | None = None) -> list[tuple[str, str]]:
        headers = headers or {}
        return [
            (name, str(headers.get(name) or column.verbose_name or name.replace("_", " ").capitalize()))
            for name, column in cls.base_columns.items()
        ]

    @classmethod
    def choose(cls, requested: Sequence[str]) -> list[str]:
        """The requested columns that exist, in the order asked; the defaults when none are."""
        known = set(cls.base_columns)
        chosen = list(dict.fromkeys(name for name in requested if name in known))
        return chosen or [name for name in cls.default_columns if name in known] or list(cls.base_columns)


class TableListView(View):
    """A list page. Subclasses name the table, the FilterSet, who may open it and the selector."""

    title: str = ""
    table_class: type[ChoosableTable]
    filterset_class = None
    roles: Sequence[str] = ()
    export_name: str = "export"
    per_page: int = 50
    template_name = "web/object_list.html"
    partial_template_name = "web/_list_region.html"
    empty_text: str = ""
    filtered_empty_text: str = ""

    def allowed(self, request) -> bool:
        return role_of(request.user) in self.roles

    def get_queryset(self, request):  # pragma: no cover - every page names its selector
        raise NotImplementedError

    def table_kwargs(self, request) -> dict:
        return {}

    def extra_context(self, request) -> dict:
        return {}

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.allowed(request):
            raise PermissionDenied
        params = request.GET.copy()
        export = params.pop(EXPORT_PARAM, [None])[-1]
        filterset = self.filterset_class(params or None, queryset=self.get_queryset(request), request=request)
        queryset = filterset.qs
        chosen = self.table_class.choose(request.GET.getlist(COLUMNS_PARAM))
        extra = self.table_kwargs(request)
        filtered = any(any(values) for key, values in params.lists() if key in filterset.filters)
        table = self.table_class(
            queryset,
            exclude=[name for name in self.table_class.column_names() if name not in chosen],
            sequence=[*chosen, "..."],
            empty_text=(self.filtered_empty_text if filtered else self.empty_text) or None,
            **extra,
        )
        if export in FORMATS:
            RequestConfig(request, paginate=False).configure(table)
            values = table.as_values()
            headers = next(values)
            return tabular_response(self.export_name, headers, list(values), export)
        RequestConfig(request, paginate={"per_page": self.per_page}).configure(table)
        context = {
            "title": self.title,
            "table": table,
            "filterset": filterset,
            "columns": [
                (name, label, name in chosen)
                for name, label in self.table_class.column_labels(extra.get("column_headers"))
            ],
            "export_formats": FORMATS,
            **self.extra_context(request),
        }
        return render_page(request, self.template_name, self.partial_template_name, context)


def apply_domain_error(form: BaseForm, error: DomainError, *, aliases: dict[str, str | None] | None = None) -> None:
    """Show a service's DomainError on the form: per field where the model's validation names one the
    form has (or an alias of it), else at the top of the form."""
    aliases = aliases or {}

    def place(field: str | None, message: str) -> None:
        if field in aliases:
            form.add_error(aliases[field], message)
        elif field is None or field == "__all__":
            form.add_error(None, message)
        elif field in form.fields:
            form.add_error(field, message)
        else:  # a model field the form does not show: say which one at the top of the form
            form.add_error(None, f"{field.replace('_', ' ').capitalize()}: {message}")

    validation = getattr(error, "validation", None)
    if validation is not None and hasattr(validation, "error_dict"):
        for field, messages in validation.message_dict.items():
            for message in messages:
                place(field, message)
        return
    place(error.field, error.message)


def run_service(form: BaseForm, action, *, aliases: dict[str, str | None] | None = None):
    """Run a form's service call: NotPermitted becomes a 403, a DomainError becomes form errors.

    Returns (True, the service's result) on success and (False, None) when the form shows errors.
    """
    try:
        return True, action()
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        apply_domain_error(form, exc, aliases=aliases)
        return False, None
