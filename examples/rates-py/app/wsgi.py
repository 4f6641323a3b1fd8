"""The WSGI application: `GET /rates/average?zone=<zone>` answers the zone's average shipping price.
`python -m app.wsgi` serves it with wsgiref; production runs it behind gunicorn (see instrument.py)."""
import json
import logging
import os
from urllib.parse import parse_qsl

from app.rates import average_price_cents
from app.telemetry import span
from app.zones import RATES, ZONES

log = logging.getLogger("app.wsgi")

REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}


def average(environ):
    """(status, body) of GET /rates/average."""
    zone = dict(parse_qsl(environ.get("QUERY_STRING", ""))).get("zone")
    if zone not in ZONES:
        return 400, {"error": f"zone must be one of {', '.join(sorted(ZONES))}"}
    log.info("average rate requested", extra={"rates.zone": zone})
    with span("rates.average", {"rates.zone": zone, "rates.count": len(RATES)}):
        return 200, {"zone": zone, "average_cents": average_price_cents(RATES, zone)}


def application(environ, start_response):
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "/")
    known = method == "GET" and path == "/rates/average"
    attributes = {"http.request.method": method, "url.path": path}
    if known:
        attributes["http.route"] = path
    if environ.get("QUERY_STRING"):
        attributes["url.query"] = environ["QUERY_STRING"]
    with span(f"{method} {path}" if known else method, attributes, server=True) as s:
        status, body = 404, {"error": "not found"}
        try:
            if known:
                status, body = average(environ)
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
