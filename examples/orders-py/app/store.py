"""The orders. A database in production; an in-memory table here, seeded with a few orders."""

_ORDERS = {
    "ord-7729": {"id": "ord-7729", "day": "2026-06-12", "customer": "c-311", "total_cents": 4990},
    "ord-7730": {"id": "ord-7730", "day": "2026-06-12", "customer": "c-208", "total_cents": 12900},
    "ord-7731": {"id": "ord-7731", "day": "2026-06-13", "customer": "c-102", "total_cents": 10000},
}


def get_order(order_id):
    """The order with this id, or None."""
    return _ORDERS.get(order_id)


def orders_on(day):
    """The orders placed on `day` (YYYY-MM-DD), oldest first."""
    return [o for o in _ORDERS.values() if o["day"] == day]


def add_order(order):
    _ORDERS[order["id"]] = order
