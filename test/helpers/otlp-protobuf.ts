// Hand-made protobuf requests for cases the SDK serializers refuse to produce (ids of the wrong
// length), encoded with the official generated message types, not by hand.
import root from 'otlp-proto-root/build/src/generated/root.js';

type Encoder = { encode(message: unknown): { finish(): Uint8Array } };
const v1 = (root as unknown as { opentelemetry: { proto: { collector: { logs: { v1: { ExportLogsServiceRequest: Encoder } } } } } })
  .opentelemetry.proto.collector.logs.v1;

export function encodeLogsRequestForTest(records: { traceId?: Uint8Array; spanId?: Uint8Array; body: string }[]): Buffer {
  const logRecords = records.map((r) => ({
    timeUnixNano: 1_700_000_000_000,
    severityNumber: 9,
    body: { stringValue: r.body },
    ...(r.traceId ? { traceId: r.traceId } : {}),
    ...(r.spanId ? { spanId: r.spanId } : {}),
  }));
  return Buffer.from(v1.ExportLogsServiceRequest.encode({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] }).finish());
}
