# Added by the fix commit as tests/test_regression_voucher_over_100.py.
from app.pricing import discounted_cents


def test_voucher_over_100_makes_the_stay_free():
    assert discounted_cents(24800, 120) == 0
    assert discounted_cents(24800, 100) == 0


def test_negative_voucher_changes_nothing():
    assert discounted_cents(24800, -5) == 24800


def test_voucher_in_range_unchanged():
    assert discounted_cents(24800, 25) == 18600
