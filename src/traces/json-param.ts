// Rows → one JSON text parameter that Postgres accepts. Telemetry is the sender's text, and two
// things valid in JavaScript strings are refused by Postgres text/jsonb: U+0000 and unpaired
// surrogates (JSON.stringify escapes those as \u0000 and \udXXX). One such value would fail the
// whole batch and, through the exporter's retries, every batch after it; so they become U+FFFD.

// An escape preceded by an even number of backslashes is a real escape, not escaped text.
const REFUSED_ESCAPES = /(?<!\\)((?:\\\\)*)\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;

export function toJsonParam(value: unknown): string {
  const json = JSON.stringify(value);
  // Fast path: well-formed surrogate pairs are emitted as raw characters, so any \u0000 or \udXXX
  // escape in the output is one we must replace; most batches have none.
  if (!json.includes('\\u')) return json;
  return json.replace(REFUSED_ESCAPES, '$1\\ufffd');
}
