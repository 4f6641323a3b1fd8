'use strict';

// Loaded first in production: `node --require ./instrument.js src/server.js`. Starts the
// OpenTelemetry Node SDK with the OTLP/HTTP JSON exporters (OTEL_EXPORTER_OTLP_ENDPOINT) when
// @opentelemetry/sdk-node resolves; without it the service runs untraced (src/telemetry.js falls
// back to no-ops), which is how its tests run. Production also runs the Sentry Node SDK
// (includeLocalVariables, localVariablesIntegration({ captureAllExceptions: true })); it is not
// vendored here, so the example keeps `ms` its only dependency.
let sdkNode;
try {
  sdkNode = require('@opentelemetry/sdk-node');
} catch {
  sdkNode = undefined;
}

if (sdkNode) {
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
  const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources');
  const sdk = new sdkNode.NodeSDK({
    resource: resourceFromAttributes({
      'service.name': 'sessions-js',
      'service.version': '2.4.0',
      'deployment.environment.name': process.env.DEPLOY_ENV ?? 'development',
    }),
    autoDetectResources: false,
    traceExporter: new OTLPTraceExporter(),
    logRecordProcessors: [new sdkNode.logs.BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })],
    instrumentations: [],
  });
  sdk.start();
  // The exporters batch: flush on the way out.
  process.once('SIGTERM', () => {
    sdk.shutdown().finally(() => process.exit(0));
  });
}
