// Names of synthesized tests: after the incident, so a reviewer sees which incident a test
// proves, and so a second run for the same incident replaces rather than duplicates it.
import { createHash } from 'node:crypto';
import path from 'node:path';
import picomatch from 'picomatch';
import type { RepoConfig } from '../../../schemas/repo-config.ts';

/** 8 lowercase alphanumerics: the incident id's own when it has enough, else a hash of it. */
export function shortIncidentId(incidentId: string): string {
  const clean = incidentId.toLowerCase().replace(/^(inc|incident)[_-]/, '').replace(/[^a-z0-9]/g, '');
  if (clean.length >= 6) return clean.slice(0, 8);
  return createHash('sha256').update(incidentId).digest('hex').slice(0, 8);
}

export function isTestPath(config: RepoConfig, file: string): boolean {
  return config.test.files.length > 0 && picomatch(config.test.files, { dot: true })(file);
}

/** The existing test files (by the repo's test globs), those nearest `nearFile` first: same
 * directory tree depth and shared leading segments decide, then the path. */
export function existingTests(config: RepoConfig, workspaceFiles: readonly string[], nearFile?: string): string[] {
  const tests = workspaceFiles.filter((f) => isTestPath(config, f) && !/(^|\/)(conftest\.py|__init__\.py)$/.test(f) && !/(^|\/)(tracefix-|test_tracefix_)/.test(f));
  if (!nearFile) return tests.sort();
  const near = nearFile.split('/');
  const shared = (f: string) => {
    const s = f.split('/');
    let n = 0;
    while (n < s.length - 1 && n < near.length - 1 && s[n] === near[n]) n++;
    return n;
  };
  const stem = path.posix.basename(nearFile).replace(/\.[^.]+$/, '');
  const mentions = (f: string) => (path.posix.basename(f).includes(stem) ? 1 : 0);
  return tests.sort((a, b) => mentions(b) - mentions(a) || shared(b) - shared(a) || (a < b ? -1 : a > b ? 1 : 0));
}
