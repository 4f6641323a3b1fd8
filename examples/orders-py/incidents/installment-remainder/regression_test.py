# Added by the fix commit as tests/test_regression_installment_remainder.py.
from app.payments import split_installments


def test_the_last_installment_takes_the_remainder():
    assert split_installments(10000, 3) == [3333, 3333, 3334]
    assert split_installments(12900, 7) == [1842, 1842, 1842, 1842, 1842, 1842, 1848]


def test_installments_add_up_to_the_total():
    for total in (1, 99, 10001, 123457):
        for count in range(1, 13):
            assert sum(split_installments(total, count)) == total
