"""Shared building blocks of every app's API (mounted under /api/v1/).

- `RestrictedViewSet` reads through `Model.objects.restrict(request.user, "view")`, so the API and the
  pages can never disagree on who sees what. A record outside the caller's scope is simply absent:
  lists leave it out and a retrieve answers 404.
- `ServiceWriteMixin` sends create/update/delete through the app's services (which check permission,
  run full_clean() and record the audit trail). Serializers only check the shape of the input and
  resolve natural keys; domain errors become 400 with field messages, `NotPermitted` becomes 403.
- `HistoryMixin` adds `<record>/history/`: the audit trail of one record (core.audit.history_for).
- `EquitableAutoSchema` documents the error answers every endpoint can give (400/401/403/404).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

from equitable.core.audit import CHANGE_TYPES, history_for
from equitable.core.exceptions import DomainError, NotPermitted

NOT_FOUND = _("No {model} with {field} “{value}” that you may see.")
BAD_VALUE = _("“{value}” is not a valid {field}.")

SCOPE_NOTE = (
    "Every answer is scoped to what the caller may see, exactly as on the pages: records outside "
    "the caller's scope are left out of lists (partner and board users get an empty list where they "
    "see nothing) and a single record outside it answers 404. Anonymous callers get 401."
)


# ----------------------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------------------


def domain_error_detail(exc: DomainError) -> dict[str, list[str]]:
    """Field → messages for a DomainError, keeping every message of a model ValidationError."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    validation = getattr(exc, "validation", None)
    if validation is not None and hasattr(validation, "error_dict"):
        return {
            (non_field if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in validation.message_dict.items()
        }
    if validation is not None:
        return {non_field: [str(m) for m in validation.messages]}
    return {exc.field or non_field: [str(exc.message)]}


def api_exception_for(exc: Exception) -> Exception:
    """Domain exceptions as DRF exceptions: NotPermitted → 403, any other DomainError → 400."""
    if isinstance(exc, NotPermitted):
        return exceptions.PermissionDenied(str(exc.message))
    if isinstance(exc, DomainError):
        return exceptions.ValidationError(domain_error_detail(exc))
    return exc


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong."))


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Field name (or non_field_errors) → list of messages.",
    "additionalProperties": {},
}


class EquitableAutoSchema(AutoSchema):
    """drf-spectacular schema that tags operations by resource and documents our error answers."""

    def get_tags(self):
        match = re.match(r"^/api/v\d+/([^/]+)/", self.path)
        return [match.group(1)] if match else super().get_tags()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors: dict[str, Any] = {
            "401": OpenApiResponse(ErrorSerializer, description="Not authenticated (missing or bad token)."),
            "403": OpenApiResponse(ErrorSerializer, description="Not permitted."),
        }
        if "{" in self.path:
            errors["404"] = OpenApiResponse(ErrorSerializer, description="No such record within the caller's scope.")
        if self.method != "GET" or self._is_list_view():
            errors["400"] = OpenApiResponse(VALIDATION_ERROR_SCHEMA, description="Invalid input; nothing was changed.")
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses


# ----------------------------------------------------------------------------------------------
# Serializer helpers
# ----------------------------------------------------------------------------------------------


def _request_user(context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


class NaturalKeyField(serializers.SlugRelatedField):
    """A related record named by its natural key (CDS code, slug, name), with a clear message.

    With `scoped=True` the key resolves only among the records the caller may see, so a record
    cannot be attached to a school (or person) outside the caller's scope.
    """

    def __init__(self, *, scoped: bool = False, **kwargs):
        self.scoped = scoped
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.scoped and queryset is not None:
            queryset = queryset.restrict(_request_user(self.context), "view")
        return queryset

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        model = queryset.model
        try:
            return queryset.get(**{self.slug_field: data})
        except ObjectDoesNotExist:
            raise serializers.ValidationError(
                str(NOT_FOUND).format(model=model._meta.verbose_name, field=self._label(model), value=data)
            ) from None
        except (TypeError, ValueError):
            raise serializers.ValidationError(
                str(BAD_VALUE).format(value=data, field=self._label(model))
            ) from None

    def _label(self, model) -> str:
        try:
            return str(model._meta.get_field(self.slug_field).verbose_name)
        except Exception:
            return self.slug_field


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related record by id, resolved only among the records the caller may see."""

    default_error_messages = {
        "does_not_exist": _("No record with id {pk_value} that you may see."),
        "incorrect_type": _("Give the record's id as a whole number, not {data_type}."),
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.restrict(_request_user(self.context), "view") if queryset is not None else None


class ServiceModelSerializer(serializers.ModelSerializer):
    # A ModelSerializer that checks only the shape of the input. Model validators, unique checks and
    # clean() all run once, in the service's full_clean(), so the rules live in one place; their
    # messages come back as 400 with the field they concern. (A comment, not a docstring: docstrings
    # of serializers become schema descriptions.)

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        field_kwargs.pop("validators", None)
        return field_class, field_kwargs

    def get_validators(self):
        return []

    def create(self, validated_data):  # pragma: no cover - writes go through services
        raise NotImplementedError("Writes go through the app's services (ServiceWriteMixin).")

    def update(self, instance, validated_data):  # pragma: no cover - writes go through services
        raise NotImplementedError("Writes go through the app's services (ServiceWriteMixin).")


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    change = serializers.ChoiceField(choices=sorted(set(CHANGE_TYPES.values())))
    reason = serializers.CharField(allow_blank=True)
    changes = FieldChangeSerializer(many=True)


# ----------------------------------------------------------------------------------------------
# Viewsets
# ----------------------------------------------------------------------------------------------


class EquitablePagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 1000


class RestrictedViewSet(viewsets.GenericViewSet):
    """Base of every API viewset: reads scoped by restrict(user, "view"), domain errors mapped."""

    schema = EquitableAutoSchema()
    pagination_class = EquitablePagination

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")

    def handle_exception(self, exc):
        return super().handle_exception(api_exception_for(exc))


class RestrictedReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """List and retrieve, scoped."""


class ServiceWriteMixin(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin):
    """Create/update/delete through services. Subclasses implement the three one-line hooks."""

    def create_record(self, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update_record(self, instance: models.Model, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def delete_record(self, instance: models.Model) -> None:
        raise NotImplementedError

    def perform_create(self, serializer):
        serializer.instance = self.create_record(dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self.update_record(serializer.instance, dict(serializer.validated_data))

    def perform_destroy(self, instance):
        self.delete_record(instance)


class RestrictedModelViewSet(ServiceWriteMixin, RestrictedReadOnlyViewSet):
    """Read scoped, write through services."""


class HistoryMixin:
    """`GET <record>/history/`: the audit trail of one record, newest first."""

    @extend_schema(
        responses=HistoryEntrySerializer(many=True),
        filters=False,
        description="The change history of this record, newest first: who changed which field from what to "
        "what. Visible to whoever may see the record.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(HistoryEntrySerializer(history_for(instance), many=True).data)


__all__ = [
    "SCOPE_NOTE",
    "EquitableAutoSchema",
    "EquitablePagination",
    "HistoryMixin",
    "NaturalKeyField",
    "RestrictedModelViewSet",
    "RestrictedReadOnlyViewSet",
    "RestrictedViewSet",
    "ScopedPrimaryKeyField",
    "ServiceModelSerializer",
    "ServiceWriteMixin",
    "api_exception_for",
    "domain_error_detail",
]
