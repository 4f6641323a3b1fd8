"""What a stay costs."""


def cents(amount):
    """An amount of money in whole cents; money is never negative."""
    if amount < 0:
        raise ValueError(f"negative amount: {amount}")
    return round(amount)


def nightly_rates(rates_cents, nights):
    """The rate of each night of a stay of `nights` nights.

    rates_cents[i] is the published rate of night i; a stay longer than the published rates pays
    the last published rate for each further night.
    """
    return [rates_cents[i] for i in range(nights)]


def discounted_cents(total_cents, percent):
    """`total_cents` after a voucher of `percent` %.

    The percentage is clamped to 0..100: a voucher over 100 % makes the stay free, never negative.
    """
    return cents(total_cents * (100 - percent) / 100)
