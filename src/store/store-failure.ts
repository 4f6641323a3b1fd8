// Why a write to the database failed, in words a webhook sender (or whoever reads its delivery log)
// can act on, without echoing internals: the SQLSTATE class and code, or "unreachable".
// Postgres and PGlite errors both carry the SQLSTATE in `code`; socket errors carry errno codes.

const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'the database connection failed',
  '22': 'the database refused a value of this delivery',
  '23': 'the database refused this delivery (a constraint)',
  '40': 'the database rolled the write back (conflict with a concurrent write)',
  '53': 'the database is out of resources',
  '54': 'the delivery exceeds a database limit',
  '57': 'the database is shutting down or cancelled the write',
  '58': 'the database had a system error',
};

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

export function describeStoreFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) return `the database is unreachable (${code})`;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return `${SQLSTATE_CLASSES[code.slice(0, 2)] ?? 'the database reported an error'} (SQLSTATE ${code})`;
  }
  const message = error instanceof Error ? error.message : '';
  if (/timeout|terminated|Connection|closed/i.test(message)) return 'the database connection failed';
  return 'the database write failed';
}
