"""API conventions shared by every app: pagination and one error body shape.

Every error answers {"error": {"code": ..., "message": ..., "fields": {...}}} with the message in
the request's language."""

import copy
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, pagination, routers, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .converters import MAX_ID
from .errors import Conflict, Refused
from .paging import Paginator

# The error responses every API documents (extend_schema(responses={...: ERRORS[404]})).
ERRORS = {
    400: OpenApiResponse(description="Invalid input (error body with field messages)."),
    403: OpenApiResponse(description="Visible to you, but not yours to act on."),
    404: OpenApiResponse(description="Not found, or not visible to you."),
    409: OpenApiResponse(description="The current state forbids it (error code says why)."),
}


def errors(*codes):
    """The documented error responses with these status codes (for extend_schema)."""
    return {code: ERRORS[code] for code in codes}


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The current state does not allow this."


class RefusedError(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "permission_denied"
    default_detail = "You do not have permission to perform this action."


def call_service(function, **kwargs):
    """Run a service and turn its errors (core.errors) into API errors of one shape."""
    try:
        return function(**kwargs)
    except Conflict as exc:
        raise ConflictError(exc.message, code=exc.code) from exc
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise exceptions.ValidationError(detail) from exc
    except Refused as exc:
        raise RefusedError(exc.message, code=exc.code) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc


# {(serializer class, language): its fields as REST framework builds them from the model}
_MODEL_FIELDS = {}


# REST framework's ModelSerializer, whose fields are worked out from the model once per class and
# language rather than on every request (reading the model's fields, their choices, validators
# and labels took about a quarter of a light API request). Each serializer gets its own copies, as
# REST framework copies declared fields, so one that changes its fields (a queryset, choices)
# changes only its own. (A comment, not a docstring: the schema would show it for every
# serializer without one of its own.)
class ModelSerializer(serializers.ModelSerializer):
    # A serializer whose every readable field writes a model attribute as it is (text, numbers,
    # choices, dates: `_PLAIN`) may set this: its output is then written by fields built once
    # per class, as REST framework's to_representation would write it, without building and
    # binding a set of fields for each response (most of a light API read's own work).
    plain_output = False

    def to_representation(self, instance):
        if not self.plain_output:
            return super().to_representation(instance)
        out = {}
        for name, attribute, field in _plain_plan(type(self)):
            value = getattr(instance, attribute)
            out[name] = None if value is None else field.to_representation(value)
        return out

    def get_fields(self):
        key = (type(self), get_language())
        built = _MODEL_FIELDS.get(key)
        if built is None:
            built = _MODEL_FIELDS[key] = super().get_fields()
        return {name: _fresh(field) for name, field in built.items()}


# The fields whose to_representation reads nothing but the value (no request, no parent).
_PLAIN = (
    serializers.BigIntegerField,
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.EmailField,
    serializers.IntegerField,
)
_PLANS = {}


def _plain_plan(serializer_class) -> list:
    """[(key, attribute, field)] of a `plain_output` serializer's readable fields, built and
    bound once per class; a field that is not one of _PLAIN, or reads anything but a column of
    the model (a relation, a property), is refused when the plan is made (the first response)."""
    plan = _PLANS.get(serializer_class)
    if plan is None:
        plan = []
        columns = {f.attname for f in serializer_class.Meta.model._meta.concrete_fields}
        for field in serializer_class().fields.values():
            if field.write_only:
                continue
            # A column of the model's own is always there; a property or an annotation may
            # not be, and REST framework then leaves the key out or writes a default.
            if (
                type(field) not in _PLAIN
                or len(field.source_attrs) != 1
                or field.source_attrs[0] not in columns
            ):
                raise TypeError(
                    f"{serializer_class.__name__}.{field.field_name} is not a plain field: "
                    "plain_output cannot write it."
                )
            plan.append((field.field_name, field.source_attrs[0], field))
        _PLANS[serializer_class] = plan
    return plan


# Arguments a field never changes or copies as it starts (REST framework's Field keeps its own
# list of validators and dict of messages, a ChoiceField its own dicts of choices).
_IMMUTABLE = (str, int, float, bool, type(None), Promise, Decimal, re.Pattern, type)
_COPIED_AT_START = frozenset({"choices", "validators", "error_messages", "regex"})


def _fresh(field):
    """A new field made from the arguments `field` was made with, as REST framework copies a
    field (Field.__deepcopy__), without copying arguments that are never changed: those are most
    of the copy's cost. A field holding a mutable value (a default list, a child field, a nested
    serializer) is deep-copied as REST framework does."""
    plain = not isinstance(field, serializers.BaseSerializer)
    plain = plain and all(isinstance(value, _IMMUTABLE) for value in field._args)
    plain = plain and all(
        key in _COPIED_AT_START or isinstance(value, _IMMUTABLE)
        for key, value in field._kwargs.items()
    )
    if plain:
        return type(field)(*field._args, **field._kwargs)
    return copy.deepcopy(field)


class IdField(serializers.IntegerField):
    """An object's id in a request body: a whole number from 1 to what a database key column holds
    (a larger one would reach the database and end in an overflow, not a 400)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def id_param(request, name: str) -> int | None:
    """An id from the query string (`?cohort=12`), None when absent; anything that is not a plain
    ASCII positive integer (e.g. "²", which str.isdigit() accepts) answers 400, not a 500."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise exceptions.ValidationError({name: [_("Enter a whole number.")]})
    try:
        # A field of its own for each request: DRF formats a range message once per field and
        # keeps it, so a shared field would answer every later request in the first one's
        # language.
        return IdField().run_validation(raw)
    except exceptions.ValidationError as exc:
        raise exceptions.ValidationError({name: exc.detail}) from exc


class Router(routers.DefaultRouter):
    """The router of every app's viewsets: an object's id in the path is a plain ASCII number
    within the database's range (core.converters.IdConverter), so `/api/v1/cohorts/²/` or a
    30-digit id answers 404 instead of reaching a lookup that cannot take it."""

    def __init__(self, **kwargs):
        super().__init__(use_regex_path=False, **kwargs)
        self.include_format_suffixes = False

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        converter = getattr(viewset, "lookup_value_converter", None) or "id"
        field = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return f"<{converter}:{lookup_prefix}{field}>"


class Pagination(pagination.PageNumberPagination):
    django_paginator_class = Paginator  # no count query when the first page holds the list
    page_size_query_param = "page_size"
    max_page_size = 100


def paged_list(view, rows):
    """A list action's answer: a page of `rows` (a queryset, or rows paged like one, such as a
    core.paging.ShapedList) through the view's serializer, with the count and the links."""
    page = view.paginate_queryset(rows)
    return view.get_paginated_response(view.get_serializer(page, many=True).data)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = {}
    if isinstance(exc, exceptions.ValidationError):
        message = str(exceptions.ValidationError.default_detail)
        if isinstance(detail, dict):
            fields = {key: [str(m) for m in _as_list(value)] for key, value in detail.items()}
            if "non_field_errors" in fields:
                message = fields["non_field_errors"][0]
        else:
            message = str(_as_list(detail)[0])
        code = "invalid"
    else:
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        code = getattr(getattr(exc, "detail", None), "code", None) or exc.default_code
    body = {"error": {"code": code, "message": message, "fields": fields}}
    return Response(body, status=response.status_code, headers=_headers(response))


def _as_list(value):
    if isinstance(value, list | tuple):
        return list(value) or [""]
    if isinstance(value, dict):
        return [f"{key}: {', '.join(map(str, _as_list(v)))}" for key, v in value.items()]
    return [value]


def _headers(response):
    return {
        key: value
        for key, value in response.items()
        if key in ("Retry-After", "WWW-Authenticate", "Allow")
    }
