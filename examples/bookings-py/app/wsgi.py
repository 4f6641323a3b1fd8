"""The WSGI application: JSON in and out. `python -m app.wsgi` serves it with wsgiref; production
runs it behind gunicorn (see instrument.py)."""
import json
import logging
import os
import re
from urllib.parse import parse_qsl

from app.api import ApiError, availability, book, quote
from app.telemetry import span

log = logging.getLogger("app.wsgi")

ROUTES = [
    ("GET", re.compile(r"^/rooms/free$"), "/rooms/free"),
    ("GET", re.compile(r"^/rooms/(?P<room_id>[\w-]+)/quote$"), "/rooms/{room_id}/quote"),
    ("POST", re.compile(r"^/bookings$"), "/bookings"),
]

REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}


def read_json(environ):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    try:
        return json.loads(environ["wsgi.input"].read(length) or b"{}")
    except ValueError as err:
        raise ApiError(400, "the body is not JSON") from err


def route(method, path):
    for route_method, pattern, template in ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return template, match.groupdict()
    return None, {}


def handle(environ, template, params):
    """Runs the route's operation; (status, body)."""
    query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
    if template == "/rooms/free":
        log.info("availability requested", extra={"availability.day": query.get("day")})
        return 200, availability(query)
    if template == "/rooms/{room_id}/quote":
        log.info("quote requested", extra={"room.id": params["room_id"]})
        return 200, quote(params["room_id"], query)
    payload = read_json(environ)
    log.info("booking requested", extra={"booking.room": payload.get("room")})
    return 201, book(payload)


def application(environ, start_response):
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "/")
    template, params = route(method, path)
    attributes = {"http.request.method": method, "url.path": path}
    if template:
        attributes["http.route"] = template
    if environ.get("QUERY_STRING"):
        attributes["url.query"] = environ["QUERY_STRING"]
    with span(f"{method} {template}" if template else method, attributes, server=True) as s:
        status, body = 404, {"error": "not found"}
        try:
            if template:
                status, body = handle(environ, template, params)
        except ApiError as err:
            status, body = err.status, {"error": str(err)}
        except Exception:
            log.exception("request failed")
            if s is not None:
                s.set_attribute("http.response.status_code", 500)
            raise
        if s is not None:
            s.set_attribute("http.response.status_code", status)
    data = json.dumps(body).encode()
    start_response(f"{status} {REASONS[status]}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    port = int(os.environ.get("PORT", "8000"))
    with make_server("127.0.0.1", port, application) as server:
        log.info("listening", extra={"server.port": port})
        server.serve_forever()
