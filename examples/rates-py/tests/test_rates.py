from app.rates import average_price_cents, zone_price_cents

RATES = [
    {"zone": "eu", "price": "12.50 EUR"},
    {"zone": "eu", "price": "7.50 EUR"},
    {"zone": "us", "price": "20.00 USD"},
]


def test_parses_a_money_string():
    assert zone_price_cents(RATES[0]) == 1250


def test_averages_a_zone():
    assert average_price_cents(RATES, "eu") == 1000


def test_one_rate_zone():
    assert average_price_cents(RATES, "us") == 2000
