// The change feed's `since` parameter.

/**
 * Parses `since`, the time the client last synchronised, as epoch milliseconds. Clients send
 * either an ISO 8601 timestamp in UTC (`2026-06-01T00:00:00Z`) or an HTTP-date (RFC 9110,
 * `Mon, 01 Jun 2026 00:00:00 GMT`, what they got as Last-Modified). Throws a RangeError for
 * anything else.
 */
export function parseSince(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(value);
  if (!m) throw new RangeError(`Invalid since: ${value}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
