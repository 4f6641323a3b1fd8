// A tiny instrumented "service" for end-to-end tests: the real OpenTelemetry Node SDK (NodeSDK)
// with the OTLP/HTTP exporters, JSON or protobuf. It fails inside a span, records the exception
// on the span (status ERROR) and as a log record, shuts the SDK down (which flushes), and prints
// {"traceId", "spanId"} of the failing span. Usage: node otel-sdk-app.ts <endpoint> <json|protobuf> [token]
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { logs as sdkLogs, NodeSDK } from '@opentelemetry/sdk-node';

const [endpoint, protocol, token] = process.argv.slice(2);
if (!endpoint || (protocol !== 'json' && protocol !== 'protobuf')) {
  console.error('usage: otel-sdk-app.ts <endpoint> <json|protobuf> [token]');
  process.exit(2);
}
const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
const traceExporter =
  protocol === 'json'
    ? new JsonTraceExporter({ url: `${endpoint}/v1/traces`, headers })
    : new ProtoTraceExporter({ url: `${endpoint}/v1/traces`, headers });
const logExporter =
  protocol === 'json'
    ? new JsonLogExporter({ url: `${endpoint}/v1/logs`, headers })
    : new ProtoLogExporter({ url: `${endpoint}/v1/logs`, headers });

const sdk = new NodeSDK({
  resource: resourceFromAttributes({
    'service.name': 'e2e-shop',
    'service.version': '3.1.0',
    'deployment.environment.name': 'e2e',
    'vcs.ref.head.revision': '0123456789abcdef0123456789abcdef01234567',
    'vcs.repository.url.full': 'https://github.com/acme/e2e-shop',
  }),
  autoDetectResources: false,
  traceExporter: traceExporter as never,
  logRecordProcessors: [new sdkLogs.BatchLogRecordProcessor({ exporter: logExporter as never })],
  instrumentations: [],
});
sdk.start();

interface Cart {
  items: { price: number }[];
}

function totalPrice(cart: Cart | undefined): number {
  return cart!.items.reduce((sum, item) => sum + item.price, 0);
}

const tracer = trace.getTracer('e2e-shop');
const logger = logs.getLogger('e2e-shop');
let ids = { traceId: '', spanId: '' };
tracer.startActiveSpan('POST /cart/:id/checkout', { kind: SpanKind.SERVER, attributes: { 'http.route': '/cart/:id/checkout', 'http.request.method': 'POST' } }, (server) => {
  tracer.startActiveSpan('cart.total', (span) => {
    try {
      totalPrice(undefined);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      logger.emit({
        severityNumber: SeverityNumber.ERROR,
        severityText: 'ERROR',
        eventName: 'exception',
        body: 'checkout failed',
        exception: error,
      });
      ids = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
    } finally {
      span.end();
    }
  });
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'checkout request done' });
  server.end();
});
await sdk.shutdown();
process.stdout.write(`${JSON.stringify(ids)}\n`);
