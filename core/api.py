"""API conventions shared by every app: pagination and one error body shape.

Every error answers {"error": {"code": ..., "message": ..., "fields": {...}}} with the message in
the request's language."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


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
