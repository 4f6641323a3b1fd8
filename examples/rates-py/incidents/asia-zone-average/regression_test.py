# Added by the fix commit as tests/test_regression_asia_zone_average.py.
from app.rates import average_price_cents
from app.zones import RATES


def test_a_zone_without_rates():
    assert average_price_cents(RATES, "asia") == 0
    assert average_price_cents([], "eu") == 0


def test_a_zone_with_rates_still_averages():
    assert average_price_cents(RATES, "eu") == 1000
