// Field-level conversions shared by the OTLP/JSON and OTLP/protobuf paths. Both decoders hand us
// the same message shape (protobufjs' static code uses the proto's lowerCamelCase names, like the
// JSON mapping); only the leaf types differ: ids are hex strings in JSON and byte arrays in
// protobuf, 64-bit integers are strings or numbers in JSON and Long objects in protobuf.

export type IdResult = { ok: true; hex: string | undefined } | { ok: false; reason: string };

export interface IdOptions {
  /** Accept base64 ids. Never for the OTLP receiver (the spec requires hex, and a base64 id means
   * the sender used a generic protobuf-JSON encoder); yes for Tempo, whose JSON API emits base64. */
  base64: boolean;
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const ZEROS = /^0+$/;

/** A trace id (16 bytes) or span id (8 bytes) as lower-case hex. Absent or empty → undefined. */
export function normalizeId(value: unknown, bytes: 16 | 8, field: string, options: IdOptions): IdResult {
  if (value === undefined || value === null || value === '') return { ok: true, hex: undefined };
  if (value instanceof Uint8Array) {
    if (value.length === 0) return { ok: true, hex: undefined };
    if (value.length !== bytes) return { ok: false, reason: `${field} has ${value.length} bytes, expected ${bytes}` };
    return checkZero(Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex'));
  }
  if (typeof value !== 'string') return { ok: false, reason: `${field} is not a string` };
  if (value.length === bytes * 2 && HEX.test(value)) return checkZero(value.toLowerCase());
  // 16 bytes are 24 base64 characters, 8 bytes are 12: the shapes collector#1899 and #4221 describe.
  const base64Length = Math.ceil(bytes / 3) * 4;
  if (value.length === base64Length && BASE64.test(value)) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === bytes) {
      if (options.base64) return checkZero(decoded.toString('hex'));
      return {
        ok: false,
        reason: `${field} "${value}" looks base64-encoded; OTLP/JSON requires ${bytes * 2} hex characters`,
      };
    }
  }
  return { ok: false, reason: `${field} "${value.slice(0, 40)}" is not ${bytes * 2} hex characters` };
}

function checkZero(hex: string): IdResult {
  // An all-zero id is the spec's "invalid id"; treat it as absent so the caller decides.
  return ZEROS.test(hex) ? { ok: true, hex: undefined } : { ok: true, hex };
}

interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
  toString(): string;
  toNumber(): number;
}

function isLong(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value && 'unsigned' in value;
}

/** Nanoseconds since the epoch as a decimal string (they pass 2^53), or undefined when absent or
 * not a non-negative integer. JSON numbers above 2^53 already lost precision in JSON.parse. */
export function nanos(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    if (!/^\d+$/.test(value)) return undefined;
    const trimmed = value.replace(/^0+(?=\d)/, '');
    return trimmed;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    return BigInt(Math.trunc(value)).toString();
  }
  if (typeof value === 'bigint') return value >= 0n ? value.toString() : undefined;
  if (isLong(value)) {
    if (!value.unsigned && value.high < 0) return undefined;
    // Composing a BigInt is ~6x faster than Long's own decimal toString (it divides in Long math).
    return ((BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0)).toString();
  }
  return undefined;
}

/** A 64-bit integer attribute: a number when it is exact, else its decimal string. */
export function int64(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string') {
    if (!/^-?\d+$/.test(value)) return undefined;
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.replace(/^(-?)0+(?=\d)/, '$1');
  }
  if (isLong(value)) {
    const n = value.toNumber();
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return undefined;
}

/** A small enum: an integer (the spec), a numeric string, or a legacy name (`SPAN_KIND_SERVER`,
 * `STATUS_CODE_ERROR`, as old senders and Tempo's jsonpb output use). Unknown → fallback. */
export function enumValue(value: unknown, names: Record<string, number>, max: number, fallback = 0): number {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') n = /^\d+$/.test(value) ? Number(value) : names[value];
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= max ? n : fallback;
}

export const SPAN_KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

export const STATUS_CODE_NAMES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

export const SEVERITY_NAMES: Record<string, number> = Object.fromEntries(
  ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'INFO', 'INFO2', 'INFO3',
    'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4']
    .map((name, i) => [`SEVERITY_NUMBER_${name}`, i]),
);

type Obj = Record<string, unknown>;

/** An OTLP AnyValue as plain JSON-able data: strings, booleans, numbers (int64 beyond 2^53 as
 * strings), arrays, objects; bytes as base64. An empty AnyValue is null. */
export function anyValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  const v = value as Obj;
  // `!= null`: protobufjs leaves unset oneof members null, JSON leaves them undefined.
  if (v.stringValue != null) return String(v.stringValue);
  if (v.boolValue != null) return v.boolValue === true || v.boolValue === 'true';
  if (v.intValue != null) return int64(v.intValue) ?? null;
  if (v.doubleValue != null) return typeof v.doubleValue === 'number' ? v.doubleValue : Number(v.doubleValue);
  if (v.arrayValue != null) {
    const values = (v.arrayValue as Obj).values;
    return Array.isArray(values) ? values.map((item) => anyValue(item, depth + 1)) : [];
  }
  if (v.kvlistValue != null) return attributes((v.kvlistValue as Obj).values, depth + 1);
  if (v.bytesValue != null) {
    return v.bytesValue instanceof Uint8Array ? Buffer.from(v.bytesValue).toString('base64') : String(v.bytesValue);
  }
  return null;
}

/** A KeyValue list as a record. Malformed entries are skipped (receivers must be lenient). */
export function attributes(list: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (kv === null || typeof kv !== 'object') continue;
    const key = (kv as Obj).key;
    if (typeof key !== 'string') continue;
    const value = anyValue((kv as Obj).value, depth);
    // A plain assignment of "__proto__" would replace the object's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

/** The first string among the given attribute names (semconv renamed many keys; accept both). */
export function stringAttr(attrs: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = attrs[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** The first non-negative integer among the given attribute names (accepts numeric strings). */
export function intAttr(attrs: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = attrs[key];
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
  }
  return undefined;
}
