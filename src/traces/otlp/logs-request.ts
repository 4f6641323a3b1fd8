// ExportLogsServiceRequest (as parsed JSON, or as the protobuf message) → LogRecord[]. Ids on a log
// record are optional, but a present one that is not hex (a base64 id) rejects the record: storing
// it without its trace link would silently lose the correlation the record exists for.
import type { LogRecord } from '../../../schemas/telemetry.ts';
import { addRejection, arrayField, isObj, OtlpDecodeError, type Decoded } from './decoded.ts';
import { anyValue, attributes, enumValue, nanos, normalizeId, SEVERITY_NAMES, type IdOptions } from './values.ts';

export function logsFromRequest(request: unknown, options: IdOptions = { base64: false }): Decoded<LogRecord> {
  if (!isObj(request)) throw new OtlpDecodeError('The body is not an ExportLogsServiceRequest object');
  const decoded: Decoded<LogRecord> = { records: [], rejected: 0, reasons: [] };
  arrayField(request, 'resourceLogs', 'request').forEach((rl, r) => {
    const where = `resourceLogs[${r}]`;
    if (!isObj(rl)) throw new OtlpDecodeError(`${where} must be an object`);
    const resource = attributes(isObj(rl.resource) ? rl.resource.attributes : undefined);
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined;
    const scopes = [...arrayField(rl, 'scopeLogs', where), ...arrayField(rl, 'instrumentationLibraryLogs', where)];
    scopes.forEach((sl, s) => {
      if (!isObj(sl)) throw new OtlpDecodeError(`${where}.scopeLogs[${s}] must be an object`);
      arrayField(sl, 'logRecords', `${where}.scopeLogs[${s}]`).forEach((log, i) => {
        const result = toLog(log, resource, service, options);
        if (typeof result === 'string') addRejection(decoded, `${where}.scopeLogs[${s}].logRecords[${i}]: ${result}`);
        else decoded.records.push(result);
      });
    });
  });
  return decoded;
}

function toLog(
  log: unknown,
  resource: Record<string, unknown>,
  service: string | undefined,
  options: IdOptions,
): LogRecord | string {
  if (!isObj(log)) return 'not an object';
  const traceId = normalizeId(log.traceId, 16, 'traceId', options);
  if (!traceId.ok) return traceId.reason;
  const spanId = normalizeId(log.spanId, 8, 'spanId', options);
  if (!spanId.ok) return spanId.reason;
  // logs.proto: when time_unix_nano is 0 (unknown), observed_time_unix_nano is the time to use.
  const time = nanos(log.timeUnixNano);
  const observed = nanos(log.observedTimeUnixNano);
  const record: LogRecord = {
    timeUnixNano: time && time !== '0' ? time : (observed ?? '0'),
    severityNumber: enumValue(log.severityNumber, SEVERITY_NAMES, 24),
    body: bodyText(log.body),
    attributes: attributes(log.attributes),
    resource,
  };
  if (typeof log.severityText === 'string' && log.severityText !== '') record.severityText = log.severityText;
  if (traceId.hex) record.traceId = traceId.hex;
  if (spanId.hex) record.spanId = spanId.hex;
  if (typeof log.eventName === 'string' && log.eventName !== '') record.eventName = log.eventName;
  if (service !== undefined) record.service = service;
  return record;
}

/** The body as text: a string body as is, structured bodies (kvlist, arrays) as JSON. */
function bodyText(body: unknown): string {
  const value = anyValue(body);
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
