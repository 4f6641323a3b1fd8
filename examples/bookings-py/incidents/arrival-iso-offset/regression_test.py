# Added by the fix commit as tests/test_regression_arrival_iso_offset.py.
from datetime import datetime, timezone

from app.checkin import parse_arrival


def test_iso_8601_with_an_offset_or_z():
    assert parse_arrival("2026-06-14T15:00:00+02:00") == datetime(2026, 6, 14, 13, 0, tzinfo=timezone.utc)
    assert parse_arrival("2026-06-14T13:00:00Z") == datetime(2026, 6, 14, 13, 0, tzinfo=timezone.utc)
    assert parse_arrival("2026-06-14T15:00:00+02:00").utcoffset().total_seconds() == 0


def test_front_desk_format_still_accepted():
    assert parse_arrival("2026-06-14 13:00:00") == datetime(2026, 6, 14, 13, 0, tzinfo=timezone.utc)
