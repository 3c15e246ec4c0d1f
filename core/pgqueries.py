"""PostgreSQL's driver keeps the conversion of a query's text (its `%s` placeholders turned into
`$1`, `$2`...) in a cache, but only for a query shorter than 4 KB with at most 50 parameters: a
longer one is split by a regular expression on every run. Our longest queries are among the most
run — the cohort dashboard's figures (also read for a mentor's mentee and a trainee's page),
eligibility, the roll call — and each paid 1–2 ms a request for that split (profiled on the
mentorship page: 2 ms of its 8). The limits are raised so they are converted once per process;
the cache stays bounded (128 texts, least recently used first), so a query whose text changes
with its data (a list of ids of varying length) cannot grow it."""

from psycopg import _queries

LONGEST_CACHED_QUERY = 64 * 1024  # characters of SQL text
MOST_CACHED_PARAMETERS = 1000


def cache_long_queries() -> None:
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(
        _queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST_CACHED_QUERY
    )
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(
        _queries.MAX_CACHED_STATEMENT_PARAMS, MOST_CACHED_PARAMETERS
    )
