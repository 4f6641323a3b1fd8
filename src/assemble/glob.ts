// Attribute-name globs (`http.request.header.*`, `*.token`): case-insensitive, `*` matches any run
// of characters. Shared by the attribute allowlist (options.ts) and the redactor's deny list.

/** `http.*` style globs → one case-insensitive predicate. */
export function globMatcher(globs: readonly string[]): (key: string) => boolean {
  if (globs.length === 0) return () => false;
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const regex = new RegExp(`^(?:${globs.map((g) => g.split('*').map(escape).join('.*')).join('|')})$`, 'i');
  return (key) => regex.test(key);
}
