"""The bench's seeding leaves no table without planner statistics (bench.fixture): every table
never analysed is analysed, by name."""

import pytest
from django.db import connection

from bench.fixture import analyze_fresh_tables
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_never_analysed_tables_are_analysed():
    if connection.vendor != "postgresql":
        assert analyze_fresh_tables() == []
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables"
            " WHERE last_analyze IS NULL AND last_autoanalyze IS NULL"
        )
        fresh = {name for (name,) in cursor.fetchall()}
    analysed = analyze_fresh_tables()
    assert set(analysed) == fresh
    assert analysed == sorted(analysed)
    # A test database's tables were never analysed: the proposals' among them.
    assert Proposal._meta.db_table in analysed
