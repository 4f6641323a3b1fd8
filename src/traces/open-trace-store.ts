// Config → the TraceStore the service uses: the database store, wrapped in the composite when an
// external source (Tempo, Jaeger) is configured.
import type { Db } from '../store/db.ts';
import { CompositeTraceStore } from './composite-trace-store.ts';
import { DbTraceStore } from './db-trace-store.ts';
import { createTraceSource } from './sources.ts';
import type { TraceSource, TraceStore } from './types.ts';

export type TraceSourceKind = 'local' | 'tempo' | 'jaeger' | 'jaeger-v3';

/** The shape config.ts is asked to provide as `config.traces`. */
export interface TracesConfig {
  source: TraceSourceKind;
  sourceUrl: string | undefined;
  sourceToken?: string | undefined;
  retentionHours: number;
  maxSpans: number;
  maxLogs: number;
}

export interface OpenTraceStoreOptions {
  fetch?: typeof fetch;
  sweepIntervalMs?: number;
  /** Where sweep and external-source failures are reported (the service's logger). */
  onError?: (error: unknown, what: string) => void;
}

export function openTraceSource(traces: TracesConfig, fetchImpl?: typeof fetch): TraceSource | undefined {
  if (traces.source === 'local') return undefined;
  if (!traces.sourceUrl) throw new Error(`The ${traces.source} trace source needs a URL (TRACEFIX_TRACE_SOURCE_URL)`);
  const http = {
    baseUrl: traces.sourceUrl,
    ...(traces.sourceToken ? { token: traces.sourceToken } : {}),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  };
  return createTraceSource(traces.source, http);
}

export function openTraceStore(db: Db, traces: TracesConfig, options: OpenTraceStoreOptions = {}): TraceStore {
  const local = new DbTraceStore(db, {
    retentionMs: traces.retentionHours * 60 * 60 * 1000,
    maxSpans: traces.maxSpans,
    maxLogs: traces.maxLogs,
    sweepIntervalMs: options.sweepIntervalMs ?? 10 * 60 * 1000,
    onSweepError: (error) => options.onError?.(error, 'trace store sweep'),
  });
  const source = openTraceSource(traces, options.fetch);
  if (!source) return local;
  return new CompositeTraceStore(local, source, {
    onSourceError: (error, name) => options.onError?.(error, `${name} trace source`),
  });
}
