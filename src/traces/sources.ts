// The external trace-source registry: kind → factory, like src/sandbox/api.ts for drivers. A new
// backend (Zipkin, Honeycomb…) is one entry here and one TraceSource class beside it.
import { ConfigError } from '../errors.ts';
import type { HttpSourceOptions } from './http-source.ts';
import { JaegerTraceSource } from './jaeger-trace-source.ts';
import { TempoTraceSource } from './tempo-trace-source.ts';
import type { TraceSource } from './types.ts';

export type TraceSourceFactory = (http: HttpSourceOptions) => TraceSource;

export const TRACE_SOURCES: ReadonlyMap<string, TraceSourceFactory> = new Map<string, TraceSourceFactory>([
  ['tempo', (http) => new TempoTraceSource(http)],
  ['jaeger', (http) => new JaegerTraceSource({ ...http, api: 'v1' })],
  ['jaeger-v3', (http) => new JaegerTraceSource({ ...http, api: 'v3' })],
]);

export function createTraceSource(kind: string, http: HttpSourceOptions): TraceSource {
  const factory = TRACE_SOURCES.get(kind);
  if (!factory) {
    const message = `unknown trace source "${kind}" (known: local, ${[...TRACE_SOURCES.keys()].join(', ')})`;
    throw new ConfigError(message, [message]);
  }
  return factory(http);
}
