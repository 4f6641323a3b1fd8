"""Daily sales reports."""


def average_order_value(orders):
    """The mean order total of `orders` in cents, rounded; returns 0 when there are no orders."""
    return round(sum(order["total_cents"] for order in orders) / len(orders))


def daily_summary(day, orders):
    """Counts, revenue and the average basket of the orders placed on `day`."""
    return {
        "day": day,
        "orders": len(orders),
        "revenue_cents": sum(order["total_cents"] for order in orders),
        "average_order_cents": average_order_value(orders),
    }
