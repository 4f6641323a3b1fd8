// Identifier normalisation shared by the sources: trace/span ids (W3C lower-case hex), commit
// SHAs read out of release strings.
import { SPAN_ID, TRACE_ID } from '../../schemas/alert.ts';

/** Lower-cases a 32-hex trace id; anything else (including the all-zero invalid id) → undefined. */
export function normalizeTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim().replaceAll('-', '').toLowerCase();
  return TRACE_ID.test(id) && !/^0+$/.test(id) ? id : undefined;
}

export function normalizeSpanId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim().toLowerCase();
  return SPAN_ID.test(id) && !/^0+$/.test(id) ? id : undefined;
}

/** A git SHA (7–40 hex). Abbreviations must contain a letter: an all-digit string like
 * `20240115` or `1234567` is far more likely a build number than a 7-char SHA prefix. A full
 * 40-char SHA is accepted even if all digits. */
export function asCommitSha(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const sha = value.trim().toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(sha)) return undefined;
  return sha.length === 40 || /[a-f]/.test(sha) ? sha : undefined;
}

/** The commit a release names: the release itself when SHA-like, or the part after the last `@`
 * (`backend@2f6b1c9e…`, Sentry's `package@version` convention), or after a trailing `+`/`-g`
 * (`1.4.2+2f6b1c9`, `v1.4.2-3-g2f6b1c9` from `git describe`). */
export function commitFromRelease(release: string | undefined): string | undefined {
  if (!release) return undefined;
  const direct = asCommitSha(release);
  if (direct) return direct;
  const at = release.lastIndexOf('@');
  if (at >= 0) {
    const after = asCommitSha(release.slice(at + 1));
    if (after) return after;
  }
  const describe = /(?:-g|\+)([0-9a-f]{7,40})$/i.exec(release);
  return describe ? asCommitSha(describe[1]) : undefined;
}
