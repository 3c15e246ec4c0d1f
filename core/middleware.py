"""Input no page or endpoint may receive: a NUL character in the path or a query parameter.

PostgreSQL refuses NUL in text, so a filter such as `?q=%00` or a path such as `/calendar/%00.ics`
would otherwise end in a database error (a 500). Form and serializer fields already refuse NUL in
bodies (Django's and DRF's CharField validators); this closes the path and the query string for
every URL at once, with a 400 in the user's language."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        message = _("The address contains a character that is not allowed (NUL).")
        if request.path.startswith("/api/"):
            body = {"error": {"code": "invalid", "message": message, "fields": {}}}
            return JsonResponse(body, status=400)
        return render(request, "400.html", {"message": message}, status=400)
