// The image installs production dependencies only (npm ci --omit=dev): a module of src/, workers/ or
// schemas/ that imports a devDependency works in tests and crashes the service in a container.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../../..');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

test('runtime code imports no devDependency', async () => {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const dev = new Set(Object.keys(pkg.devDependencies));
  const offenders: string[] = [];
  for (const file of [...(await sources('src')), ...(await sources('workers')), ...(await sources('schemas'))]) {
    const text = await readFile(file, 'utf8');
    // Type-only imports vanish at run time (type stripping); value imports and import() stay.
    for (const m of text.matchAll(/^\s*import\s+(?!type\b)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm)) {
      const spec = m[1] ?? m[2]!;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (dev.has(name)) offenders.push(`${path.relative(ROOT, file)} imports ${name}`);
    }
  }
  assert.deepEqual(offenders, []);
});
