# Added by the fix commit as tests/test_regression_free_rooms_not_awaited.py.
import asyncio

from app.availability import free_rooms


def test_free_rooms():
    assert asyncio.run(free_rooms("2026-06-14")) == ["r-12", "r-21"]
    assert asyncio.run(free_rooms("2026-06-15")) == ["r-12", "r-14"]
