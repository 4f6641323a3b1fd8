// Loaded first in production: `node --import ./instrument.ts src/server.ts`. Starts the
// OpenTelemetry Node SDK with the OTLP/HTTP JSON exporters (OTEL_EXPORTER_OTLP_ENDPOINT) when
// @opentelemetry/sdk-node resolves; without it the service runs untraced (src/telemetry.ts falls
// back to no-ops), which is how its tests run. Production also runs the Sentry Node SDK with its
// defaults (no local variables); it is not vendored here, so the example keeps no dependency.
let sdkNode: typeof import('@opentelemetry/sdk-node') | undefined;
try {
  sdkNode = await import('@opentelemetry/sdk-node');
} catch {
  sdkNode = undefined;
}

if (sdkNode) {
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-http');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const sdk = new sdkNode.NodeSDK({
    resource: resourceFromAttributes({
      'service.name': 'catalog-ts',
      'service.version': '3.1.0',
      'deployment.environment.name': process.env['DEPLOY_ENV'] ?? 'development',
    }),
    autoDetectResources: false,
    traceExporter: new OTLPTraceExporter() as never,
    logRecordProcessors: [new sdkNode.logs.BatchLogRecordProcessor({ exporter: new OTLPLogExporter() as never })],
    instrumentations: [],
  });
  sdk.start();
  // The exporters batch: flush on the way out.
  process.once('SIGTERM', () => {
    void sdk.shutdown().finally(() => process.exit(0));
  });
}

export {};
