import asyncio

from app.availability import room_status
from app.checkin import parse_arrival


def test_room_status():
    assert asyncio.run(room_status("r-14", "2026-06-14")) == {"room": "r-14", "free": False}
    assert asyncio.run(room_status("r-12", "2026-06-14")) == {"room": "r-12", "free": True}


def test_front_desk_arrival():
    assert parse_arrival("2026-06-14 13:00:00").isoformat() == "2026-06-14T13:00:00+00:00"
