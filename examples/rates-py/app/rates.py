"""Shipping rates: per-zone prices written as money strings ("12.50 EUR"), parsed by moneytext."""
import moneytext


def zone_price_cents(rate):
    return moneytext.to_cents(rate["price"])


def average_price_cents(rates, zone):
    """The average price of the zone's rates, in cents; 0 for a zone without rates."""
    prices = [zone_price_cents(r) for r in rates if r["zone"] == zone]
    return sum(prices) // len(prices)
