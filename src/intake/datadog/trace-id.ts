// Datadog ids → W3C hex. Datadog shows trace ids as the decimal of the lower 64 bits
// (`dd.trace_id` in logs = str(otel_trace_id & 0xFFFFFFFFFFFFFFFF)); 128-bit ids keep the upper
// 64 bits in the `_dd.p.tid` tag (16 hex). Without the upper half the result is the lower half
// zero-padded to 32 hex, which matches an OTel trace id only on its lower 64 bits; the trace
// store must match on those when the upper half is zero (docs.datadoghq.com/tracing/guide/
// span_and_trace_id_format, .../connect_logs_and_traces/opentelemetry).
import { normalizeSpanId, normalizeTraceId } from '../../evidence/ids.ts';

const U64_MAX = (1n << 64n) - 1n;

function lower64Hex(value: string): string | undefined {
  if (/^\d{1,20}$/.test(value)) {
    const n = BigInt(value);
    return n > 0n && n <= U64_MAX ? n.toString(16).padStart(16, '0') : undefined;
  }
  // 16 hex with at least one letter: a hex-printed lower half (an all-digit value is decimal).
  return /^[0-9a-f]{16}$/i.test(value) && /[a-f]/i.test(value) ? value.toLowerCase() : undefined;
}

/** Decimal lower-64 (optionally with `_dd.p.tid` upper-64 hex) or 32-hex → 32 lower-case hex. */
export function datadogTraceIdToHex(value: string | undefined, upperHex?: string): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^[0-9a-f]{32}$/i.test(v)) return normalizeTraceId(v);
  const low = lower64Hex(v);
  if (!low) return undefined;
  const high = upperHex && /^[0-9a-f]{16}$/i.test(upperHex.trim()) ? upperHex.trim().toLowerCase() : '0'.repeat(16);
  return normalizeTraceId(high + low);
}

/** Decimal or 16-hex span id → 16 lower-case hex. */
export function datadogSpanIdToHex(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^[0-9a-f]{16}$/i.test(v) && /[a-f]/i.test(v)) return normalizeSpanId(v);
  const hex = lower64Hex(v);
  return hex ? normalizeSpanId(hex) : undefined;
}
