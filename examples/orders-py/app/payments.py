"""Payment plans: an order's total split into monthly installments."""

MAX_INSTALLMENTS = 12


def split_installments(total_cents, count):
    """Splits an amount into `count` monthly installments of whole cents.

    The installments are equal except the last one, which also takes the cents that do not divide
    evenly, so that they always add up to the total.
    """
    if not 1 <= count <= MAX_INSTALLMENTS:
        raise ValueError(f"installments must be between 1 and {MAX_INSTALLMENTS}")
    base, remainder = divmod(total_cents, count)
    parts = [base] * count
    if remainder:
        parts[count] += remainder
    return parts
