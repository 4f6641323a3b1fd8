import pytest

from app.payments import split_installments


def test_one_installment_is_the_total():
    assert split_installments(4990, 1) == [4990]


def test_equal_installments():
    assert split_installments(12000, 3) == [4000, 4000, 4000]
    assert split_installments(12900, 4) == [3225, 3225, 3225, 3225]


@pytest.mark.parametrize("count", [0, 13, -1])
def test_count_out_of_range(count):
    with pytest.raises(ValueError):
        split_installments(10000, count)
