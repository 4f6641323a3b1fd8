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


def test_installment_plan():
    status, body = call("POST", "/orders/ord-7729/installments", {"count": 2})
    assert status == 200
    assert body == {"order": "ord-7729", "installments": [{"month": 1, "amount_cents": 2495}, {"month": 2, "amount_cents": 2495}]}


def test_installment_plan_errors():
    assert call("POST", "/orders/nope/installments", {"count": 2})[0] == 404
    assert call("POST", "/orders/ord-7729/installments", {"count": "2"})[0] == 400
    assert call("POST", "/orders/ord-7729/installments", {"count": 24})[0] == 400
    assert call("GET", "/orders")[0] == 404


def test_daily_report():
    status, body = call("GET", "/reports/daily", query="day=2026-06-12")
    assert status == 200
    assert body["orders"] == 2 and body["average_order_cents"] == 8945
    assert call("GET", "/reports/daily")[0] == 400
