import io
import json

from app.wsgi import application


def call(method, path, body=None, query=""):
    data = b"" if body is None else json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
    }
    seen = {}

    def start_response(status, headers):
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(headers)

    body = b"".join(application(environ, start_response))
    return seen["status"], json.loads(body)


def test_quote():
    status, body = call("GET", "/rooms/r-12/quote", query="nights=2")
    assert status == 200
    assert body == {"room": "r-12", "nights": 2, "rates_cents": [12900, 11900], "total_cents": 24800}


def test_booking_from_the_front_desk():
    status, body = call("POST", "/bookings", {"room": "r-14", "arrival": "2026-06-20 13:00:00"})
    assert status == 201
    assert body["arrival"] == "2026-06-20T13:00:00+00:00"


def test_errors():
    assert call("GET", "/rooms/r-99/quote", query="nights=2")[0] == 404
    assert call("GET", "/rooms/r-12/quote", query="nights=x")[0] == 400
    assert call("GET", "/rooms/free")[0] == 400
    assert call("POST", "/bookings", {"room": "r-12"})[0] == 400
    assert call("GET", "/nowhere")[0] == 404
