"""format_when keeps each text it formats: the kept text is the one Django's formatter gives for
the same value, format, language and time zone, whatever was formatted before."""

import datetime
import zoneinfo

import pytest
from django.utils import dateformat, timezone, translation

from core.templatetags.dates import format_when, named_format

BAGHDAD = zoneinfo.ZoneInfo("Asia/Baghdad")
MOMENT = datetime.datetime(2026, 12, 5, 12, 30, tzinfo=datetime.UTC)
VALUES = [
    MOMENT,
    MOMENT.astimezone(BAGHDAD),  # the same instant, another zone: the same text
    datetime.date(2026, 11, 3),
    datetime.datetime(2026, 11, 3, 0, 0),  # noqa: DTZ001 - naive: formatted as it is
    datetime.datetime(2026, 11, 3, 0, 0, tzinfo=datetime.UTC),
]
NAMES = ["DATETIME_FORMAT", "DATE_FORMAT", "WEEKDAY_DATETIME_FORMAT", "DAY_TIME_FORMAT"]


def fresh(value, name, language=None):
    if getattr(value, "tzinfo", None) is not None:
        value = timezone.localtime(value)
    return dateformat.format(value, named_format(name, language))


@pytest.mark.parametrize("zone", ["Asia/Baghdad", "UTC", "America/New_York"])
def test_kept_text_is_the_formatters_in_every_language_and_zone(zone):
    for _round in range(2):  # the second round answers from what the first kept
        for language in ["ar", "en", "ar"]:
            with translation.override(language), timezone.override(zone):
                for value in VALUES:
                    for name in NAMES:
                        if (
                            isinstance(value, datetime.date)
                            and not isinstance(value, datetime.datetime)
                            and name != "DATE_FORMAT"
                        ):
                            continue  # a day has no time to show
                        assert format_when(value, name) == fresh(value, name)
                        assert format_when(value, name, "en") == fresh(value, name, "en")


def test_month_names_follow_the_active_language():
    with translation.override("ar"):
        arabic = format_when(MOMENT, "DATE_FORMAT")
    with translation.override("en"):
        english = format_when(MOMENT, "DATE_FORMAT")
    assert "كانون" in arabic and "December" in english


def test_the_zone_moves_the_day():
    late = datetime.datetime(2026, 12, 5, 22, 30, tzinfo=datetime.UTC)
    with translation.override("en"):
        with timezone.override("UTC"):
            utc = format_when(late, "DATE_FORMAT")
        with timezone.override("Asia/Baghdad"):
            baghdad = format_when(late, "DATE_FORMAT")
    assert utc.startswith("5 ") and baghdad.startswith("6 ")


def test_empty_and_unhashable():
    assert format_when(None) == "" and format_when("") == ""
    with pytest.raises((TypeError, AttributeError)):
        format_when([2026, 12, 5])
