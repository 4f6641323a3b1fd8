// The behaviour preservation gate in a real sandbox: the original and the patched function side by
// side on the repository's test arguments and fast-check inputs shaped like them. A guard that
// changes only the failing input class passes with "behaviour unchanged on N inputs"; a guard
// that also changes what the function returned for inputs that never failed is caught, with an
// example; a patch that breaks one of the function's doc examples is named with it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Preservation } from '../../../schemas/run.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import { describePreservation, preserve } from '../../../src/repair/preserve/index.ts';
import { listWorkspaceFiles } from '../../../src/reproduce/workspace-paths.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { copyRepo, sandboxTargets, type RepoCopy } from '../reproduce/helpers.ts';
import { fixtureBundle } from '../../unit/reproduce/helpers.ts';

const target = (await sandboxTargets())[0]!;

const CASES = [
  {
    repo: 'py-reports',
    runtime: 'python',
    file: 'app/reports.py',
    failureType: 'ZeroDivisionError',
    from: '    return sum(totals) / days\n',
    narrow: '    if days == 0:\n        return 0.0\n    return sum(totals) / days\n',
    wide: '    if days <= 0:\n        return 0.0\n    return sum(totals) / days\n',
    doc: ['    """Average revenue per day over `days` days."""\n', '    """Average revenue per day over `days` days.\n\n    >>> average_per_day([10.0, 20.0], 2)\n    15.0\n    """\n'],
    breaksDoc: '    if days <= 2:\n        return 0.0\n    return sum(totals) / days\n',
    example: 'average_per_day([10.0, 20.0], 2) should be 15.0',
  },
  {
    repo: 'js-paging',
    runtime: 'node',
    file: 'src/paginate.js',
    failureType: 'RangeError',
    from: '  const pages = new Array(',
    narrow: '  if (pageSize === 0) return [];\n  const pages = new Array(',
    wide: '  if (!(pageSize > 0)) pageSize = 20;\n  const pages = new Array(',
    doc: [' * @returns {Array<Array<object>>}\n', ' * @returns {Array<Array<object>>}\n * @example paginate([1, 2, 3], 2) // => [[1, 2], [3]]\n'],
    breaksDoc: '  if (pageSize <= 2) return [];\n  const pages = new Array(',
    example: 'paginate([1, 2, 3], 2) should be [[1, 2], [3]]',
  },
] as const;

for (const c of CASES) {
  describe(`behaviour preservation gate: ${c.repo} (${target.name})`, { skip: target.skip }, () => {
    let repo: RepoCopy;
    let sandbox: Sandbox;
    let config: RepoConfig;
    let original: string;
    let tracked: string[];

    before(async () => {
      repo = await copyRepo(c.repo);
      sandbox = await target.create(repo.dir, c.runtime);
      config = await loadRepoConfig(repo.dir);
      original = await readFile(path.join(repo.dir, c.file), 'utf8');
      tracked = (await listWorkspaceFiles(repo.dir)).filter((f) => !f.startsWith('incident'));
    });
    after(async () => {
      await sandbox?.destroy();
      await repo?.cleanup();
    });

    const run = async (replacement: string, base = original) =>
      preserve({
        sandbox,
        repoConfig: config,
        trackedFiles: tracked,
        bundle: await fixtureBundle('js-cart'),
        failureType: c.failureType,
        files: new Map([[c.file, base.replace(c.from, replacement)]]),
        originals: new Map([[c.file, base]]),
      });

    it('names the doc example a patch contradicts (the original satisfied it)', async () => {
      const documented = original.replace(c.doc[0], c.doc[1]);
      assert.notEqual(documented, original);
      const broken = await run(c.breaksDoc, documented);
      assert.deepEqual(broken?.docExamples, { checked: 1, contradicted: [c.example] }, JSON.stringify(broken));
      const kept = await run(c.narrow, documented);
      assert.deepEqual(kept?.docExamples, { checked: 1, contradicted: [] }, JSON.stringify(kept));
    });

    it('a guard that changes only the failing input class: behaviour unchanged on every other input', async () => {
      const p = await run(c.narrow);
      assert.ok(p);
      Preservation.parse(p);
      assert.equal(p.error, undefined, JSON.stringify(p));
      assert.equal(p.changedOutside, 0, JSON.stringify(p));
      assert.ok(p.inputs >= 40, `${p.inputs} inputs`);
      assert.equal(p.sources?.tests, 1, 'the call in the repository test');
      assert.ok(p.failing >= 1, 'fast-check reached the failing class too');
      assert.match(describePreservation(p), /^behaviour unchanged on \d+ inputs \(0 recorded in production, 1 from the repository's tests, \d+ generated\); changed only where production failed/);
      // Nothing of the gate stays in the workspace.
      assert.deepEqual((await listWorkspaceFiles(repo.dir)).filter((f) => /tracefix[-_]preserve/.test(f)), []);
    });

    it('a guard that also changes inputs that never failed is caught, with an example', async () => {
      const p = await run(c.wide);
      assert.ok(p && p.changedOutside > 0, JSON.stringify(p));
      assert.match(describePreservation(p), /^behaviour changed on \d+ of \d+ inputs where the original did not fail/);
      assert.ok(p.examples.length > 0);
    });
  });
}
