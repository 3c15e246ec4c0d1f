"""The personal calendar-feed address: read it, or rotate it."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ... import services
from .. import serializers as s


class CalendarFeedView(APIView):
    """The caller's secret calendar address (iCal, all their sessions); POST makes a new one and
    the old address stops working."""

    parser_classes = [JSONParser]

    def _url(self, request, feed):
        return request.build_absolute_uri(reverse("calendar:feed", kwargs={"token": feed.token}))

    @extend_schema(responses=s.CalendarFeedSerializer)
    def get(self, request):
        return Response({"url": self._url(request, services.calendar_feed_for(request.user))})

    @extend_schema(request=None, responses=s.CalendarFeedSerializer)
    def post(self, request):
        feed = services.rotate_calendar_token(user=request.user)
        return Response({"url": self._url(request, feed)})
