"""The shipping rates per zone (a config table in production)."""

RATES = [
    {"zone": "eu", "carrier": "dhl", "price": "12.50 EUR"},
    {"zone": "eu", "carrier": "ups", "price": "7.50 EUR"},
    {"zone": "us", "carrier": "usps", "price": "20.00 USD"},
    {"zone": "uk", "carrier": "royal-mail", "price": "9.90 GBP"},
]

ZONES = {"eu", "us", "uk", "asia"}
