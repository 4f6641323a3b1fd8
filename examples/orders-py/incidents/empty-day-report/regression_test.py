# Added by the fix commit as tests/test_regression_empty_day_report.py.
from app.reports import average_order_value, daily_summary


def test_a_day_without_orders():
    assert average_order_value([]) == 0
    assert daily_summary("2026-06-14", []) == {"day": "2026-06-14", "orders": 0, "revenue_cents": 0, "average_order_cents": 0}
