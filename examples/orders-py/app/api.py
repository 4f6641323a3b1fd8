"""The HTTP layer's operations: JSON in, JSON out, errors as (status, message)."""
from app import store
from app.payments import split_installments
from app.reports import daily_summary
from app.telemetry import span


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def create_installment_plan(order_id, payload):
    """POST /orders/{order_id}/installments with {"count": n}: the order's payment plan."""
    order = store.get_order(order_id)
    if order is None:
        raise ApiError(404, f"no order {order_id}")
    count = payload.get("count")
    if not isinstance(count, int) or isinstance(count, bool):
        raise ApiError(400, "count must be an integer")
    try:
        with span("payments.split", {"order.id": order_id, "payments.count": count}):
            parts = split_installments(order["total_cents"], count)
    except ValueError as err:
        raise ApiError(400, str(err)) from err
    return {"order": order_id, "installments": [{"month": i + 1, "amount_cents": p} for i, p in enumerate(parts)]}


def daily_report(query):
    """GET /reports/daily?day=YYYY-MM-DD: the day's orders summed up."""
    day = query.get("day")
    if not day:
        raise ApiError(400, "day is required")
    orders = store.orders_on(day)
    with span("reports.daily_summary", {"report.day": day, "report.orders": len(orders)}):
        return daily_summary(day, orders)
