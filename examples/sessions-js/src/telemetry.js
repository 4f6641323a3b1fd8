'use strict';

// Spans and log records through the OpenTelemetry API when it is installed (production, where
// instrument.js starts the SDK); no-ops otherwise, so the service and its tests need no package.
let api;
let logsApi;
try {
  api = require('@opentelemetry/api');
  logsApi = require('@opentelemetry/api-logs');
} catch {
  api = undefined;
}

const SCOPE = ['sessions-js', '2.4.0'];
const tracer = api?.trace.getTracer(...SCOPE);
const logger = logsApi?.logs.getLogger(...SCOPE);
const SEVERITY = { debug: 5, info: 9, warn: 13, error: 17 };
const RECORDED = Symbol('recorded on a span');
let toConsole = false;

/** Marks a span failed by `error`; the exception event goes on the innermost span it leaves. */
function fail(s, error) {
  if (error && typeof error === 'object' && !error[RECORDED]) {
    s.recordException(error);
    error[RECORDED] = true;
  }
  s.setStatus({ code: api.SpanStatusCode.ERROR, message: String(error?.message ?? error) });
}

/** Runs `fn` in a span named `name` (sync or async); the span ends when `fn` is done. */
function span(name, attributes, fn, options = {}) {
  if (!tracer) return fn();
  return tracer.startActiveSpan(name, { attributes, kind: options.kind ?? api.SpanKind.INTERNAL }, (s) => {
    const done = (value) => {
      options.onEnd?.(s, value);
      s.end();
      return value;
    };
    try {
      const result = fn(s);
      if (result && typeof result.then === 'function') {
        return result.then(done, (error) => {
          fail(s, error);
          s.end();
          throw error;
        });
      }
      return done(result);
    } catch (error) {
      fail(s, error);
      s.end();
      throw error;
    }
  });
}

function emit(level, body, attributes = {}, error = undefined) {
  if (toConsole) process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: body, ...attributes })}\n`);
  const attrs = { ...attributes };
  if (error) {
    attrs['exception.type'] = error.name;
    attrs['exception.message'] = error.message;
    attrs['exception.stacktrace'] = error.stack;
  }
  logger?.emit({ severityNumber: SEVERITY[level], severityText: level.toUpperCase(), body, attributes: attrs });
}

const log = {
  debug: (body, attributes) => emit('debug', body, attributes),
  info: (body, attributes) => emit('info', body, attributes),
  warn: (body, attributes) => emit('warn', body, attributes),
  error: (body, attributes, error) => emit('error', body, attributes, error),
  /** Log lines also go to stdout (the server does this; tests stay quiet). */
  toConsole: () => {
    toConsole = true;
  },
};

module.exports = { span, log, SpanKind: { SERVER: 1 } };
