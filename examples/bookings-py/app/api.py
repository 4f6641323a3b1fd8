"""The HTTP layer's operations: JSON in, JSON out, errors as (status, message)."""
import asyncio

from app import store
from app.availability import free_rooms
from app.checkin import parse_arrival
from app.pricing import discounted_cents, nightly_rates
from app.telemetry import span


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def _int(query, name, default=None):
    raw = query.get(name)
    if raw is None and default is not None:
        return default
    try:
        return int(raw)
    except (TypeError, ValueError) as err:
        raise ApiError(400, f"{name} must be an integer") from err


def quote(room_id, query):
    """GET /rooms/{room_id}/quote?nights=n&voucher=p: the stay's price in cents."""
    room = store.get_room(room_id)
    if room is None:
        raise ApiError(404, f"no room {room_id}")
    nights = _int(query, "nights")
    voucher = _int(query, "voucher", 0)
    if nights < 1:
        raise ApiError(400, "nights must be at least 1")
    with span("pricing.quote", {"room.id": room_id, "stay.nights": nights, "voucher.percent": voucher}):
        rates = nightly_rates(room["rates_cents"], nights)
        total = discounted_cents(sum(rates), voucher)
    return {"room": room_id, "nights": nights, "rates_cents": rates, "total_cents": total}


def book(payload):
    """POST /bookings with {"room": id, "arrival": timestamp}: the booking."""
    room_id = payload.get("room")
    if store.get_room(room_id) is None:
        raise ApiError(404, f"no room {room_id}")
    arrival = payload.get("arrival")
    if not isinstance(arrival, str):
        raise ApiError(400, "arrival must be a timestamp")
    with span("checkin.parse_arrival", {"booking.arrival": arrival}):
        at = parse_arrival(arrival)
    number = store.add_booking({"room": room_id, "arrival": at})
    return {"booking": number, "room": room_id, "arrival": at.isoformat()}


def availability(query):
    """GET /rooms/free?day=YYYY-MM-DD: the rooms free that day."""
    day = query.get("day")
    if not day:
        raise ApiError(400, "day is required")
    with span("availability.free_rooms", {"availability.day": day}):
        return {"day": day, "free": asyncio.run(free_rooms(day))}
