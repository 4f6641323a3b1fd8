from app.reports import average_order_value, daily_summary


def test_average_rounds_to_a_cent():
    assert average_order_value([{"total_cents": 100}, {"total_cents": 201}]) == 150


def test_daily_summary():
    orders = [{"total_cents": 4990}, {"total_cents": 12900}]
    assert daily_summary("2026-06-12", orders) == {
        "day": "2026-06-12",
        "orders": 2,
        "revenue_cents": 17890,
        "average_order_cents": 8945,
    }
