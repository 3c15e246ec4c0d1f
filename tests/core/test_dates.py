"""One date format per language everywhere: Iraqi month names and the Arabic comma in Arabic,
the same named formats in English."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from cohorts.models import Cohort
from core.templatetags.dates import format_when
from tests.cohorts.factories import CohortFactory, SessionFactory, cohort_with

EGYPTIAN_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس")
EGYPTIAN_MONTHS += ("سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
BAGHDAD = datetime.timezone(datetime.timedelta(hours=3))


def test_arabic_formats_use_iraqi_months_and_the_arabic_comma():
    moment = datetime.datetime(2027, 1, 31, 17, 0, tzinfo=BAGHDAD)
    with translation.override("ar"):
        assert format_when(moment.date(), "DATE_FORMAT") == "31 كانون الثاني 2027"
        assert format_when(moment, "DATETIME_FORMAT") == "31 كانون الثاني 2027، 17:00"
        assert format_when(moment, "WEEKDAY_DATETIME_FORMAT") == "الأحد 31 كانون الثاني، 17:00"
        assert format_when(moment, "DAY_TIME_FORMAT") == "31 كانون الثاني، 17:00"


def test_english_formats_are_day_first_with_a_24_hour_clock():
    moment = datetime.datetime(2027, 1, 31, 17, 0, tzinfo=BAGHDAD)
    with translation.override("en"):
        assert (
            format_when(moment, "WEEKDAY_FULL_DATETIME_FORMAT") == "Sunday 31 January 2027, 17:00"
        )
        assert format_when(moment.date(), "DATE_FORMAT") == "31 January 2027"


def test_empty_values_format_as_nothing():
    assert format_when(None) == ""


@pytest.mark.django_db
def test_cohort_lists_show_iraqi_month_names(client, login, manager):
    start = datetime.date(2027, 1, 31)
    CohortFactory(
        status=Cohort.Status.RECRUITING,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=60),
    )
    cohort_with(manager=manager, starts_on=start, ends_on=start + datetime.timedelta(days=90))
    pages = [client.get("/cohorts/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()]
    managing = login(manager)
    pages.append(managing.get("/cohorts/manage/", HTTP_ACCEPT_LANGUAGE="ar").content.decode())
    for html in pages:
        assert "كانون الثاني 2027" in html
        assert not [month for month in EGYPTIAN_MONTHS if month in html]


@pytest.mark.django_db
def test_session_list_uses_the_weekday_format_with_the_arabic_comma(login, manager):
    cohort = cohort_with(manager=manager)
    session = SessionFactory(cohort=cohort)
    html = login(manager).get(reverse("cohorts:sessions", args=[cohort.pk])).content.decode()
    with translation.override("ar"):
        expected = format_when(session.starts_at, "WEEKDAY_FULL_DATETIME_FORMAT")
    assert "،" in expected
    assert expected in html
