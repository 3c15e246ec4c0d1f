"""Long queries' converted text is kept by PostgreSQL's driver (core.pgqueries): a query over
the driver's own limits (4 KB, 50 parameters) is converted once, then read from its cache."""

from psycopg import _queries
from psycopg.adapt import Transformer

from core import pgqueries


def test_the_limits_are_raised_when_the_project_starts():
    assert _queries.MAX_CACHED_STATEMENT_LENGTH >= pgqueries.LONGEST_CACHED_QUERY > 4096
    assert _queries.MAX_CACHED_STATEMENT_PARAMS >= pgqueries.MOST_CACHED_PARAMETERS > 50


def test_a_long_query_is_converted_once():
    # 60 parameters in a 10 KB text: over both of the driver's own limits.
    filler = " ".join(f"/* padding {n} */" for n in range(600))
    sql = f"SELECT 1 WHERE 1 IN ({', '.join(['%s'] * 60)}) {filler}"
    assert len(sql) > 8192
    query = _queries.PostgresQuery(Transformer())
    before = _queries._query2pg.cache_info()
    query.convert(sql, list(range(60)))
    query.convert(sql, list(range(60)))
    after = _queries._query2pg.cache_info()
    assert after.misses == before.misses + 1
    assert after.hits == before.hits + 1
    assert query.query.startswith(b"SELECT 1 WHERE 1 IN ($1, $2")
