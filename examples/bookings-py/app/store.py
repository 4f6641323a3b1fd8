"""Rooms and bookings. A database in production; in-memory tables here."""

# Each room's published nightly rates in cents: the first night, the second, ...; the hotel
# publishes a few nights ahead.
_ROOMS = {
    "r-12": {"id": "r-12", "rates_cents": [12900, 11900, 10900]},
    "r-14": {"id": "r-14", "rates_cents": [9900, 9900]},
    "r-21": {"id": "r-21", "rates_cents": [15900, 14900, 13900, 12900]},
}

_BOOKED = {("r-14", "2026-06-14"), ("r-21", "2026-06-15")}

_BOOKINGS = []


def get_room(room_id):
    """The room with this id, or None."""
    return _ROOMS.get(room_id)


def room_ids():
    return sorted(_ROOMS)


def is_booked(room_id, day):
    return (room_id, day) in _BOOKED


def add_booking(booking):
    _BOOKINGS.append(booking)
    return len(_BOOKINGS)
