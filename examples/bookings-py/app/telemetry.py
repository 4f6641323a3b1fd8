"""Spans through the OpenTelemetry API when it is installed (production, where instrument.py sets
up the SDK); no-ops otherwise, so the service and its tests need nothing outside the standard
library. Log records go through `logging`; the SDK's LoggingHandler exports them with the trace
context of the span they were written in."""
import contextlib

try:
    from opentelemetry import trace
    from opentelemetry.trace import SpanKind
except ImportError:  # the service runs untraced
    trace = None
    SpanKind = None

_tracer = trace.get_tracer("bookings-py", "1.6.0") if trace else None


@contextlib.contextmanager
def span(name, attributes=None, server=False):
    """A span around the block; an exception leaving it is recorded on it and marks it failed."""
    if _tracer is None:
        yield None
        return
    kind = SpanKind.SERVER if server else SpanKind.INTERNAL
    with _tracer.start_as_current_span(name, kind=kind, attributes=attributes or {}) as s:
        yield s
