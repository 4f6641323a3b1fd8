"""Which rooms are free on a day; each room's calendar is asked concurrently (a calendar
service in production, hence asyncio)."""
import asyncio

from app import store


async def room_status(room_id, day):
    """{"room": id, "free": bool} from the room's calendar."""
    await asyncio.sleep(0)
    return {"room": room_id, "free": not store.is_booked(room_id, day)}


async def free_rooms(day):
    """The ids of the rooms free on `day`, sorted."""
    statuses = [room_status(room_id, day) for room_id in store.room_ids()]
    free = []
    for status in statuses:
        if status["free"]:
            free.append(status["room"])
    return free
