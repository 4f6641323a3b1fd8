from app.pricing import cents, discounted_cents, nightly_rates


def test_nightly_rates_follow_the_published_rates():
    assert nightly_rates([12900, 11900, 10900], 3) == [12900, 11900, 10900]
    assert nightly_rates([9900, 9900], 1) == [9900]


def test_voucher():
    assert discounted_cents(24800, 10) == 22320
    assert discounted_cents(24800, 0) == 24800


def test_money_is_never_negative():
    assert cents(12.4) == 12
    try:
        cents(-1)
    except ValueError:
        pass
    else:
        raise AssertionError("a negative amount must be refused")
