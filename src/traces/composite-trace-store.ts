// Local store first, external source as the fallback for traces we never received (the service
// exports to Tempo/Jaeger, and only errors or nothing to tracefix). Writes and logs are local only:
// the external sources are read-only and hold no logs.
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';
import type { LogQuery, SweepResult, TraceSource, TraceStore } from './types.ts';

export interface CompositeOptions {
  /** Told when the external source fails; the trace then reads as unknown ([]), so an outage of
   * Tempo degrades the evidence instead of failing the repair. */
  onSourceError?: (error: unknown, source: string) => void;
}

export class CompositeTraceStore implements TraceStore {
  readonly #local: TraceStore;
  readonly #source: TraceSource;
  readonly #options: CompositeOptions;

  constructor(local: TraceStore, source: TraceSource, options: CompositeOptions = {}) {
    this.#local = local;
    this.#source = source;
    this.#options = options;
  }

  writeSpans(spans: readonly SpanRecord[]): Promise<void> {
    return this.#local.writeSpans(spans);
  }

  writeLogs(logs: readonly LogRecord[]): Promise<void> {
    return this.#local.writeLogs(logs);
  }

  async getTrace(traceId: string): Promise<SpanRecord[]> {
    const local = await this.#local.getTrace(traceId);
    if (local.length > 0) return local;
    try {
      return await this.#source.getTrace(traceId);
    } catch (error) {
      this.#options.onSourceError?.(error, this.#source.name);
      return [];
    }
  }

  getLogs(query: LogQuery): Promise<LogRecord[]> {
    return this.#local.getLogs(query);
  }

  sweep(now?: Date): Promise<SweepResult> {
    return this.#local.sweep(now);
  }

  flush(): Promise<void> {
    return this.#local.flush();
  }

  close(): Promise<void> {
    return this.#local.close();
  }
}
