// OTLP/HTTP answers: a 200 carries the Export*ServiceResponse, an error carries a google.rpc.Status,
// both in the request's encoding (opentelemetry-proto docs/specification.md, "OTLP/HTTP Response").
import type { FastifyReply } from 'fastify';
import { encodeLogsResponse, encodeStatus, encodeTraceResponse } from './protobuf.ts';

export type Encoding = 'json' | 'protobuf';

export const JSON_TYPE = 'application/json';
export const PROTOBUF_TYPE = 'application/x-protobuf';

/** The request's encoding from its Content-Type (parameters ignored), or undefined (→ 415). */
export function encodingOf(contentType: string | undefined): Encoding | undefined {
  const essence = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (essence === JSON_TYPE) return 'json';
  if (essence === PROTOBUF_TYPE) return 'protobuf';
  return undefined;
}

export type Signal = 'traces' | 'logs';

export function sendExportResponse(
  reply: FastifyReply,
  signal: Signal,
  encoding: Encoding,
  rejected: number,
  errorMessage: string,
): FastifyReply {
  if (encoding === 'protobuf') {
    const body = signal === 'traces' ? encodeTraceResponse(rejected, errorMessage) : encodeLogsResponse(rejected, errorMessage);
    return reply.code(200).type(PROTOBUF_TYPE).send(body);
  }
  if (rejected === 0 && !errorMessage) return reply.code(200).type(JSON_TYPE).send('{}');
  const partialSuccess =
    signal === 'traces' ? { rejectedSpans: String(rejected), errorMessage } : { rejectedLogRecords: String(rejected), errorMessage };
  // int64 fields are decimal strings in OTLP/JSON.
  return reply.code(200).type(JSON_TYPE).send(JSON.stringify({ partialSuccess }));
}

/** google.rpc.Code for an HTTP status, as grpc-gateway maps them. */
function rpcCode(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
    case 415:
      return 3; // INVALID_ARGUMENT
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 5; // NOT_FOUND
    case 413:
    case 429:
      return 8; // RESOURCE_EXHAUSTED
    case 503:
      return 14; // UNAVAILABLE
    default:
      return httpStatus >= 500 ? 13 : 2; // INTERNAL : UNKNOWN
  }
}

export function sendStatus(reply: FastifyReply, httpStatus: number, encoding: Encoding, message: string): FastifyReply {
  const code = rpcCode(httpStatus);
  if (encoding === 'protobuf') return reply.code(httpStatus).type(PROTOBUF_TYPE).send(encodeStatus(code, message));
  return reply.code(httpStatus).type(JSON_TYPE).send(JSON.stringify({ code, message }));
}
