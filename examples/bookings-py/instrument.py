"""Production entry: `python instrument.py` (gunicorn imports it from its config instead). Sets up
the OpenTelemetry SDK with the OTLP exporters (OTEL_EXPORTER_OTLP_ENDPOINT) when opentelemetry-sdk
is installed, then serves app.wsgi:application. Without it the service runs untraced
(app/telemetry.py falls back to no-ops), which is how its tests run. Production also runs
sentry-sdk around the WSGI app (local variables on, its default; instrumenter="otel", so its events
carry the OpenTelemetry trace ids). Neither is a dependency of the example."""
import logging
import os
import runpy

try:
    from opentelemetry import _logs, trace
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
    from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
except ImportError:
    trace = None

if trace is not None:
    resource = Resource.create({
        "service.name": "bookings-py",
        "service.version": "1.6.0",
        "deployment.environment.name": os.environ.get("DEPLOY_ENV", "development"),
    })
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(tracer_provider)
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(BatchLogRecordProcessor(OTLPLogExporter()))
    _logs.set_logger_provider(logger_provider)
    logging.getLogger().addHandler(LoggingHandler(level=logging.INFO, logger_provider=logger_provider))

runpy.run_module("app.wsgi", run_name="__main__")
