// `npm ci` refuses a lockfile whose entries name optional dependencies that have no entry of
// their own. The registry mirror CI uses lacks some platform builds (msgpackr-extract for darwin
// and win32), so npm writes such entries; they must be pruned from package-lock.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

interface LockEntry {
  optionalDependencies?: Record<string, string>;
}

test('every optional dependency named in package-lock.json has an entry (npm ci accepts it)', () => {
  const lock = JSON.parse(readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const missing: string[] = [];
  for (const [name, entry] of Object.entries(lock.packages)) {
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
      // Node's resolution: nested under the package first, then each ancestor, then the top.
      const parts = name.split('/node_modules/');
      let found = false;
      for (let i = parts.length; i >= 0 && !found; i--) {
        const prefix = parts.slice(0, i).join('/node_modules/');
        found = `${prefix ? `${prefix}/` : ''}node_modules/${dep}` in lock.packages;
      }
      if (!found) missing.push(`${name || '(root)'} → ${dep}`);
    }
  }
  assert.deepEqual(missing, [], 'prune these from package-lock.json');
});
