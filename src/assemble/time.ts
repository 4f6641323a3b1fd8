// Times in the assembler. Spans and logs carry nanoseconds since the epoch as decimal strings
// (they pass 2^53); comparisons use milliseconds as doubles (sub-µs error, irrelevant for
// windows and ordering) and the bundle shows RFC 3339 with the original nanoseconds.

/** Nanosecond string → milliseconds (a double). */
export function nsToMs(ns: string): number {
  return Number(ns) / 1e6;
}

/** Nanosecond string → `2025-07-01T12:03:00.123456789Z` (exact: the digits are kept). */
export function nsToIso(ns: string): string {
  const digits = ns.replace(/^0+(?=\d)/, '');
  const seconds = digits.length > 9 ? Number(digits.slice(0, -9)) : 0;
  const fraction = digits.padStart(9, '0').slice(-9);
  const base = new Date(seconds * 1000).toISOString(); // 2025-07-01T12:03:00.000Z
  return `${base.slice(0, 19)}.${fraction}Z`;
}

/** Milliseconds → nanosecond string. */
export function msToNs(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}
