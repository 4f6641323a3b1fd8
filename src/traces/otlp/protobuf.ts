// OTLP/protobuf with the official definitions: the protobufjs static code generated from
// open-telemetry/opentelemetry-proto, as @opentelemetry/otlp-transformer published it up to
// 0.214.0 (later releases replaced it with hand-written serializers and no longer ship a decoder).
// package.json installs that release under the alias `otlp-proto-root`, used only for this file.
import root from 'otlp-proto-root/build/src/generated/root.js';
import protobuf from 'protobufjs';

interface MessageType {
  decode(reader: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
}

// The generated .d.ts types the root as a bare protobuf Root; name the few types we use.
const proto = (root as unknown as {
  opentelemetry: {
    proto: {
      collector: {
        trace: { v1: Record<'ExportTraceServiceRequest' | 'ExportTraceServiceResponse', MessageType> };
        logs: { v1: Record<'ExportLogsServiceRequest' | 'ExportLogsServiceResponse', MessageType> };
      };
    };
  };
}).opentelemetry.proto.collector;

const TRACE = proto.trace.v1;
const LOGS = proto.logs.v1;

/** Throws (protobufjs' RangeError/Error) when the bytes are not the message. */
export function decodeTraceRequest(body: Uint8Array): unknown {
  return TRACE.ExportTraceServiceRequest.decode(body);
}

export function decodeLogsRequest(body: Uint8Array): unknown {
  return LOGS.ExportLogsServiceRequest.decode(body);
}

export function encodeTraceResponse(rejected: number, errorMessage: string): Buffer {
  const partialSuccess = rejected > 0 || errorMessage ? { rejectedSpans: rejected, errorMessage } : undefined;
  return Buffer.from(TRACE.ExportTraceServiceResponse.encode({ partialSuccess }).finish());
}

export function encodeLogsResponse(rejected: number, errorMessage: string): Buffer {
  const partialSuccess = rejected > 0 || errorMessage ? { rejectedLogRecords: rejected, errorMessage } : undefined;
  return Buffer.from(LOGS.ExportLogsServiceResponse.encode({ partialSuccess }).finish());
}

// google.rpc.Status (google/rpc/status.proto), the body OTLP/HTTP servers answer errors with. It is
// not part of the OTLP root, so it is declared here by reflection; `details` (repeated Any) is
// left out because we send none.
const Status = new protobuf.Type('Status')
  .add(new protobuf.Field('code', 1, 'int32'))
  .add(new protobuf.Field('message', 2, 'string'));
new protobuf.Root().define('google.rpc').add(Status);

export function encodeStatus(code: number, message: string): Buffer {
  return Buffer.from(Status.encode(Status.create({ code, message })).finish());
}

export function decodeStatus(body: Uint8Array): { code: number; message: string } {
  return Status.toObject(Status.decode(body), { defaults: true }) as { code: number; message: string };
}

/** Decodes an export response (used by tests and the benchmark to check what we answered). */
export function decodeTraceResponse(body: Uint8Array): unknown {
  return TRACE.ExportTraceServiceResponse.decode(body);
}

export function decodeLogsResponse(body: Uint8Array): unknown {
  return LOGS.ExportLogsServiceResponse.decode(body);
}
