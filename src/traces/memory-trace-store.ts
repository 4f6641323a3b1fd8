// The trace store in process memory: for tests and for the CLI's one-shot runs. Same semantics as
// the database store (dedupe by span id, retention by receive time, caps evicting the oldest).
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';
import {
  DEFAULT_MAX_LOGS,
  DEFAULT_MAX_SPANS,
  DEFAULT_RETENTION_MS,
  type LogQuery,
  type RetentionOptions,
  type SweepResult,
  type TraceStore,
} from './types.ts';

interface Stored<T> {
  seq: number;
  receivedAt: number;
  record: T;
}

export class MemoryTraceStore implements TraceStore {
  // Insertion-ordered maps: iteration order is receive order, which eviction relies on.
  readonly #spans = new Map<string, Stored<SpanRecord>>();
  readonly #byTrace = new Map<string, Set<string>>();
  readonly #logs = new Map<number, Stored<LogRecord>>();
  #seq = 0;
  readonly #retentionMs: number;
  readonly #maxSpans: number;
  readonly #maxLogs: number;
  readonly #clock: () => number;

  constructor(options: RetentionOptions & { clock?: () => number } = {}) {
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.#maxSpans = options.maxSpans ?? DEFAULT_MAX_SPANS;
    this.#maxLogs = options.maxLogs ?? DEFAULT_MAX_LOGS;
    this.#clock = options.clock ?? Date.now;
  }

  async writeSpans(spans: readonly SpanRecord[]): Promise<void> {
    const now = this.#clock();
    for (const span of spans) {
      const key = `${span.traceId}:${span.spanId}`;
      if (this.#spans.has(key)) continue;
      this.#spans.set(key, { seq: ++this.#seq, receivedAt: now, record: structuredClone(span) });
      let ids = this.#byTrace.get(span.traceId);
      if (!ids) this.#byTrace.set(span.traceId, (ids = new Set()));
      ids.add(key);
    }
  }

  async writeLogs(logs: readonly LogRecord[]): Promise<void> {
    const now = this.#clock();
    for (const log of logs) {
      const seq = ++this.#seq;
      this.#logs.set(seq, { seq, receivedAt: now, record: structuredClone(log) });
    }
  }

  async getTrace(traceId: string): Promise<SpanRecord[]> {
    const keys = this.#byTrace.get(traceId.toLowerCase());
    if (!keys) return [];
    const spans = [...keys].map((k) => structuredClone(this.#spans.get(k)!.record));
    return spans.sort((a, b) => compareNanos(a.startTimeUnixNano, b.startTimeUnixNano) || a.spanId.localeCompare(b.spanId));
  }

  async getLogs(query: LogQuery): Promise<LogRecord[]> {
    const from = query.from ? BigInt(query.from.getTime()) * 1_000_000n : undefined;
    const to = query.to ? BigInt(query.to.getTime()) * 1_000_000n + 999_999n : undefined;
    const traceId = query.traceId?.toLowerCase();
    const matches: Stored<LogRecord>[] = [];
    for (const stored of this.#logs.values()) {
      const log = stored.record;
      if (traceId !== undefined && log.traceId !== traceId) continue;
      if (query.service !== undefined && log.service !== query.service) continue;
      const time = BigInt(log.timeUnixNano);
      if (from !== undefined && time < from) continue;
      if (to !== undefined && time > to) continue;
      matches.push(stored);
    }
    matches.sort((a, b) => compareNanos(a.record.timeUnixNano, b.record.timeUnixNano) || a.seq - b.seq);
    return matches.slice(0, Math.max(0, query.limit)).map((s) => structuredClone(s.record));
  }

  async sweep(now: Date = new Date(this.#clock())): Promise<SweepResult> {
    const cutoff = now.getTime() - this.#retentionMs;
    let spansDeleted = 0;
    let logsDeleted = 0;
    for (const [key, stored] of this.#spans) {
      if (stored.receivedAt >= cutoff && this.#spans.size <= this.#maxSpans) break;
      this.#deleteSpan(key, stored.record.traceId);
      spansDeleted++;
    }
    for (const [seq, stored] of this.#logs) {
      if (stored.receivedAt >= cutoff && this.#logs.size <= this.#maxLogs) break;
      this.#logs.delete(seq);
      logsDeleted++;
    }
    return { spansDeleted, logsDeleted };
  }

  #deleteSpan(key: string, traceId: string): void {
    this.#spans.delete(key);
    const ids = this.#byTrace.get(traceId);
    ids?.delete(key);
    if (ids?.size === 0) this.#byTrace.delete(traceId);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}

function compareNanos(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
