# Added by the fix commit as tests/test_regression_long_stay_rates.py.
from app.pricing import nightly_rates


def test_nights_past_the_published_rates_pay_the_last_rate():
    assert nightly_rates([9900, 8900], 4) == [9900, 8900, 8900, 8900]
    assert nightly_rates([12900, 11900, 10900], 3) == [12900, 11900, 10900]
