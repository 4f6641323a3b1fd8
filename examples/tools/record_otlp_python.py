"""Records the OTLP/HTTP JSON exports of a Python example's incident.

    python3 examples/tools/record_otlp_python.py examples/orders-py <incident> [--root /srv/app] [--frames out.json]

opentelemetry-sdk cannot be installed where these examples were made (no PyPI), so this runs the
buggy service for real (its requirements.txt, if any, installed from its wheels/ directory),
in-process and over real HTTP (wsgiref, the incident's warm-up and failing requests), with a stand-in for the SDK: the `opentelemetry.trace` API the service calls
(start_as_current_span, which records the exception on the span it leaves and sets
`ERROR: <Type>: <message>` as the status, as the SDK does), the SDK's LoggingHandler (body,
severity, `code.*` and `exception.*` attributes, the current span's ids), random 128/64-bit ids, and
the OTLP JSON encoding a Collector's file exporter writes (hex ids, integer enums, 64-bit integers
as strings). The service is copied (without incidents/) to --root so paths are production's.
--frames writes the failing request's traceback with each frame's locals as repr text (what
sentry-sdk sends as `vars`), for the incident's sentry.json.
"""
import argparse
import json
import logging
import os
import shutil
import sys
import sysconfig
import threading
import time
import traceback
import urllib.error
import urllib.request

SCHEMA = {"telemetry.sdk.language": "python", "telemetry.sdk.name": "opentelemetry", "telemetry.sdk.version": "1.38.0"}


def attr_value(v):
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int):
        return {"intValue": str(v)}
    if isinstance(v, float):
        return {"doubleValue": v}
    return {"stringValue": str(v)}


def attrs(d):
    return [{"key": k, "value": attr_value(v)} for k, v in d.items() if v is not None]


STAND_IN = r'''"""Stand-in for opentelemetry.trace (the SDK's tracer behaviour), written by record_otlp_python.py."""
import contextlib
import contextvars
import random
import time
import traceback
import types

SpanKind = types.SimpleNamespace(INTERNAL=1, SERVER=2, CLIENT=3)  # OTLP's numbering


def attrs(d):
    def value(v):
        if isinstance(v, bool):
            return {"boolValue": v}
        if isinstance(v, int):
            return {"intValue": str(v)}
        if isinstance(v, float):
            return {"doubleValue": v}
        return {"stringValue": str(v)}
    return [{"key": k, "value": value(v)} for k, v in d.items() if v is not None]


class Span:
    def __init__(self, name, kind, attributes, parent):
        self.name = name
        self.kind = kind
        self.attributes = dict(attributes)
        self.trace_id = parent.trace_id if parent else random.getrandbits(128)
        self.span_id = random.getrandbits(64)
        self.parent_id = parent.span_id if parent else None
        self.start = time.time_ns()
        self.end = None
        self.events = []
        self.status = {"code": 0}

    def set_attribute(self, key, value):
        self.attributes[key] = value

    def record_exception(self, exc):
        self.events.append({
            "timeUnixNano": str(time.time_ns()),
            "name": "exception",
            "attributes": attrs({
                "exception.type": type(exc).__name__,
                "exception.message": str(exc),
                "exception.stacktrace": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
                "exception.escaped": "False",
            }),
        })

    def otlp(self):
        out = {
            "traceId": f"{self.trace_id:032x}",
            "spanId": f"{self.span_id:016x}",
            "flags": 257,
            "name": self.name,
            "kind": self.kind,
            "startTimeUnixNano": str(self.start),
            "endTimeUnixNano": str(self.end),
            "attributes": attrs(self.attributes),
            "events": self.events,
            "status": self.status,
        }
        if self.parent_id is not None:
            out["parentSpanId"] = f"{self.parent_id:016x}"
        return out


CURRENT = contextvars.ContextVar("span", default=None)
FINISHED = []


class Tracer:
    def __init__(self, name, version):
        self.scope = {"name": name, "version": version}

    @contextlib.contextmanager
    def start_as_current_span(self, name, kind=1, attributes=None):
        span = Span(name, kind, attributes or {}, CURRENT.get())
        token = CURRENT.set(span)
        try:
            yield span
        except BaseException as exc:
            span.record_exception(exc)
            span.status = {"message": f"{type(exc).__name__}: {exc}", "code": 2}
            raise
        finally:
            span.end = time.time_ns()
            CURRENT.reset(token)
            FINISHED.append((self.scope, span))




def get_tracer(name, version=None):
    return Tracer(name, version)
'''


LOGS = []


class LoggingHandler(logging.Handler):
    """opentelemetry.sdk._logs.LoggingHandler's translation of a LogRecord."""

    RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
    SEVERITY = {"DEBUG": 5, "INFO": 9, "WARNING": 13, "ERROR": 17, "CRITICAL": 21}

    def emit(self, record):
        extra = {k: v for k, v in vars(record).items() if k not in self.RESERVED}
        extra.update({"code.filepath": record.pathname, "code.function": record.funcName, "code.lineno": record.lineno})
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            extra["exception.type"] = type(exc).__name__
            extra["exception.message"] = str(exc)
            extra["exception.stacktrace"] = "".join(traceback.format_exception(*record.exc_info))
        span = sys.modules["opentelemetry.trace"].CURRENT.get()
        entry = {
            "timeUnixNano": str(int(record.created * 1e9)),
            "observedTimeUnixNano": str(time.time_ns()),
            "severityNumber": self.SEVERITY.get(record.levelname, 9),
            "severityText": record.levelname,
            "body": {"stringValue": record.getMessage()},
            "attributes": attrs(extra),
            "flags": 1 if span else 0,
        }
        if span:
            entry["traceId"] = f"{span.trace_id:032x}"
            entry["spanId"] = f"{span.span_id:016x}"
        LOGS.append((record.name, entry))


def install_stand_in(root):
    """The stand-in where the SDK would be installed, so stacks name the SDK's path."""
    site = os.path.join(root, ".venv/lib/python3.12/site-packages")
    os.makedirs(os.path.join(site, "opentelemetry/trace"))
    with open(os.path.join(site, "opentelemetry/__init__.py"), "w") as f:
        f.write("")
    with open(os.path.join(site, "opentelemetry/trace/__init__.py"), "w") as f:
        f.write(STAND_IN)
    sys.path.insert(0, site)
    import opentelemetry.trace
    return opentelemetry.trace


def install_requirements(root):
    """The service's pinned dependencies (requirements.txt, hashed) into the same site-packages,
    from the wheel directory it ships (no index is reachable here), as production's venv has them."""
    if not os.path.exists(os.path.join(root, "requirements.txt")):
        return
    import subprocess
    site = os.path.join(root, ".venv/lib/python3.12/site-packages")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--only-binary", ":all:",
                    "--find-links", os.path.join(root, "wheels"), "--target", site, "-r", os.path.join(root, "requirements.txt")],
                   check=True)


def resource(service):
    return {"attributes": attrs({**SCHEMA, "service.name": service["name"], "service.version": service["version"], "deployment.environment.name": "production"})}


# wsgiref copies the recording process's environment into every WSGI environ: keep the request's
# keys only (a server behind gunicorn has these), never this machine's variables.
WSGI_KEYS = ("wsgi.", "HTTP_", "CONTENT_", "REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "SCRIPT_NAME", "SERVER_", "REMOTE_ADDR")


def wsgi_only(environ):
    return {k: v for k, v in environ.items() if k.startswith(WSGI_KEYS)} if isinstance(environ, dict) else environ


# The interpreter's standard library is where production's is (the image's Python, beside the
# .venv the stand-in SDK lives in), not where this machine keeps it.
STDLIB = sysconfig.get_paths()["stdlib"]
PROD_STDLIB = "/usr/local/lib/python3.12"


def prod_paths(text):
    return text.replace(STDLIB, PROD_STDLIB)


def repr_local(value, depth=0):
    """sentry-sdk's serializer: containers as JSON structures, everything else as repr text."""
    if isinstance(value, dict) and depth < 3:
        return {str(k): repr_local(v, depth + 1) for k, v in list(value.items())[:20]}
    if isinstance(value, (list, tuple)) and depth < 3:
        return [repr_local(v, depth + 1) for v in list(value)[:20]]
    return repr(value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("service")
    parser.add_argument("incident")
    parser.add_argument("--root", default="/srv/app")
    parser.add_argument("--frames")
    args = parser.parse_args()
    service_dir = os.path.abspath(args.service)
    incident_dir = os.path.join(service_dir, "incidents", args.incident)
    with open(os.path.join(incident_dir, "incident.json")) as f:
        meta = json.load(f)

    shutil.rmtree(args.root, ignore_errors=True)
    shutil.copytree(service_dir, args.root, ignore=shutil.ignore_patterns("incidents", "__pycache__", ".pytest_cache"))
    shutil.rmtree(os.path.join(args.root, ".venv"), ignore_errors=True)
    sys.path.insert(0, args.root)
    sys.dont_write_bytecode = True
    otel = install_stand_in(args.root)
    install_requirements(args.root)
    logging.getLogger().setLevel(logging.INFO)
    logging.getLogger().addHandler(LoggingHandler(level=logging.INFO))

    import tomllib
    with open(os.path.join(args.root, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from app.wsgi import application

    failure = {}

    def sentry_middleware(environ, start_response):
        """Where sentry-sdk's WSGI middleware sees the exception: keep its traceback's frames."""
        try:
            return application(environ, start_response)
        except Exception as exc:
            frames = []
            for frame, lineno in traceback.walk_tb(exc.__traceback__):
                if frame.f_code is sentry_middleware.__code__:
                    continue  # this recorder's own frame: production's is sentry-sdk's middleware
                frames.append({"file": frame.f_code.co_filename, "function": frame.f_code.co_name, "lineno": lineno,
                               "vars": {k: repr_local(wsgi_only(v) if k == "environ" else v) for k, v in frame.f_locals.items() if not k.startswith("__")}})
            failure.update(type=type(exc).__name__, value=str(exc), frames=frames, time=time.time())
            raise

    class Quiet(WSGIRequestHandler):
        def log_message(self, *a):
            pass

    server = make_server("127.0.0.1", 0, sentry_middleware, handler_class=Quiet)
    server.handle_error = lambda request, address: None  # wsgiref prints the traceback otherwise
    # What `python -m app.wsgi` logs once it listens (its __main__ block, which is not run here).
    wsgi_file = os.path.join(args.root, "app/wsgi.py")
    with open(wsgi_file) as f:
        lineno = next(i for i, line in enumerate(f, 1) if 'log.info("listening"' in line)
    logging.getLogger("app.wsgi").handle(logging.makeLogRecord({
        "name": "app.wsgi", "levelno": logging.INFO, "levelname": "INFO", "msg": "listening", "pathname": wsgi_file,
        "filename": "wsgi.py", "module": "wsgi", "lineno": lineno, "funcName": "<module>", "server.port": 8000}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"

    def send(r):
        body = None if r.get("body") is None else json.dumps(r["body"]).encode()
        req = urllib.request.Request(base + r["path"], data=body, method=r["method"],
                                     headers={"Content-Type": "application/json", **r.get("headers", {})})
        try:
            with urllib.request.urlopen(req, timeout=5) as res:
                return res.status
        except urllib.error.HTTPError as err:
            return err.code

    if meta.get("warmup"):
        print("warm-up", meta["warmup"]["path"], send(meta["warmup"]))
    time.sleep(0.15)
    print("incident", meta["request"]["path"], send(meta["request"]))
    server.shutdown()
    server.server_close()

    by_scope = {}
    for scope, span in otel.FINISHED:
        by_scope.setdefault(json.dumps(scope, sort_keys=True), (scope, []))[1].append(span.otlp())
    traces = {"resourceSpans": [{"resource": resource(project), "scopeSpans": [{"scope": {k: v for k, v in s.items() if v}, "spans": spans} for s, spans in by_scope.values()]}]}
    logs_by = {}
    for name, entry in LOGS:
        logs_by.setdefault(name, []).append(entry)
    logs = {"resourceLogs": [{"resource": resource(project), "scopeLogs": [{"scope": {"name": n}, "logRecords": r} for n, r in logs_by.items()]}]}
    for name, doc in (("otlp-traces.json", traces), ("otlp-logs.json", logs)):
        with open(os.path.join(incident_dir, name), "w") as f:
            f.write(prod_paths(json.dumps(doc, indent=2)) + "\n")
    for _, span in otel.FINISHED:
        if span.events:
            print(json.dumps({"traceId": f"{span.trace_id:032x}", "spanId": f"{span.span_id:016x}", "name": span.name}))
    if args.frames:
        with open(args.frames, "w") as f:
            f.write(prod_paths(json.dumps(failure, indent=2)))
    shutil.rmtree(args.root, ignore_errors=True)


if __name__ == "__main__":
    main()
