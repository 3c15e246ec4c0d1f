"""The benchmark's scale table: each row's p50 at every size and whether it stays within 1.5x;
every page a row names is a registered page."""

from bench import stats
from bench.pages import PAGES, SCALE

ROWS = [("dashboard", [("100", "a"), ("1,000", "b"), ("5,000", "c")]), ("roll call", [("20", "d")])]


def test_a_row_reports_its_spread_and_whether_it_grows():
    pages = {"a": {"p50_ms": 50.0}, "b": {"p50_ms": 60.0}, "c": {"p50_ms": 100.0}, "d": {}}
    dashboard, roll_call = stats.scale_table(pages, ROWS)

    assert dashboard == {
        "row": "dashboard",
        "p50_ms": {"100": 50.0, "1,000": 60.0, "5,000": 100.0},
        "spread": 2.0,
        "within_1_5": False,
    }
    assert roll_call["spread"] is None and roll_call["within_1_5"] is None
    text = stats.format_scale([dashboard, roll_call])
    assert "spread 2.00x GROWS" in text and "not all measured" in text


def test_every_scale_row_names_registered_pages():
    names = {page.name for page in PAGES}
    assert {name for _label, sizes in SCALE for _size, name in sizes} <= names
