"""The reminder scan bench (bench/reminders_scan.py) on a small fixture: every registered scan is
measured, finds what the fixture makes due, and its row joins the bench table."""

import pytest
from django.utils import timezone

from bench import reminders_scan, stats
from notifications import reminders

pytestmark = pytest.mark.django_db


def test_scan_bench_measures_every_reminder_with_a_bounded_number_of_queries():
    now = timezone.now()
    reminders_scan.build(now, trainees=200, sessions=40)
    scans = reminders_scan.run_scans(now)
    assert {s["kind"] for s in scans} == set(reminders.registered())
    for s in scans:
        assert s["deliveries"] > 0, s["kind"]
        assert s["queries"] <= 4, s["kind"]
        assert s["unique_keys"] == s["deliveries"], s["kind"]
    table = stats.format_table(reminders_scan.table_rows({"scans": scans}))
    assert "scan cohorts.session_soon" in table
