// Two things that build on a reproduction: localization (stack + Ochiai over real per-test
// coverage) on the JS and Python fixtures, and synthesis for frameworks other than node:test and
// pytest: jest (CommonJS, global API), vitest (ESM, imported API) and unittest, using the runners'
// fixture repositories of those frameworks with the incident's source files copied in.
import assert from 'node:assert/strict';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Localization } from '../../../schemas/run.ts';
import { localize } from '../../../src/repair/localize/index.ts';
import { reproduce } from '../../../src/reproduce/index.ts';
import { listWorkspaceFiles } from '../../../src/reproduce/workspace-paths.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { prepareFixture } from '../../helpers/fixture-repos.ts';
import { fixtureBundle, REPRO_REPOS } from '../../unit/reproduce/helpers.ts';
import { copyRepo, sandboxTargets } from './helpers.ts';

const [target] = await sandboxTargets();

describe(`localize after reproducing (${target!.name})`, () => {
  for (const fx of [
    { name: 'js-cart', runtime: 'node', top: ['src/cart.js', 15, 'applyCoupon'], alsoRanked: 'src/coupons.js', passing: 3 },
    { name: 'py-orders', runtime: 'python', top: ['app/orders.py', 5, 'line_total'], alsoRanked: 'app/orders.py', passing: 2 },
  ] as const) {
    it(`ranks the crash site first, with stack and spectrum reasons (${fx.name})`, async () => {
      const repo = await copyRepo(fx.name);
      const sandbox = await target!.create(repo.dir, fx.runtime);
      try {
        const config = await loadRepoConfig(repo.dir);
        const bundle = await fixtureBundle(fx.name);
        const r = await reproduce({ bundle, workspaceDir: repo.dir, sandbox, repoConfig: config });
        assert.equal(r.status, 'reproduced');
        if (r.status !== 'reproduced') return;
        const loc = await localize({ bundle, sandbox, repoConfig: config, workspaceFiles: await listWorkspaceFiles(repo.dir), reproTestId: r.testId });
        Localization.parse(loc);
        assert.deepEqual(loc.spectrum.failingTests, [r.testId]);
        assert.equal(loc.spectrum.passingTests, fx.passing);
        assert.deepEqual(loc.spectrum.problems, []);
        assert.deepEqual(loc.weights, { frames: 0.5, spectrum: 0.5 });
        const top = loc.ranking[0];
        assert.deepEqual([top?.file, top?.line, top?.function], fx.top);
        assert.match(top?.reasons[0] ?? '', /^crash site: \w+ raised here/);
        assert.match(top?.reasons[1] ?? '', /^Ochiai \d\.\d\d: run by 1 of 1 failing/);
        assert.equal(top?.spectrum?.ef, 1);
        assert.ok(loc.ranking.some((l) => l.file === fx.alsoRanked && !l.frame), 'a line only the spectrum points at is ranked too');
      } finally {
        await sandbox.destroy();
        await repo.cleanup();
      }
    });
  }
});

describe(`synthesis in other frameworks' style (${target!.name})`, () => {
  for (const fx of [
    // jest's source-mapped stacks name the crash frame `rate` (an identifier near the position):
    // the gate identifies the frame by the function around its line instead.
    { framework: 'jest', incident: 'js-cart', sources: ['src/cart.js', 'src/coupons.js', 'src/server.js'], testFile: 'test/tracefix-7f3a9c21.test.js', lines: [/^const \{ applyCoupon \} = require\('\.\.\/src\/cart\.js'\);$/m, /^test\('tracefix incident/m] },
    { framework: 'unittest', incident: 'py-orders', sources: ['app/__init__.py', 'app/orders.py', 'app/api.py'], testFile: 'tests/test_tracefix_c4e59a11.py', lines: [/^import unittest$/m, /^class TracefixIncidentC4E59A11Test\(unittest\.TestCase\):$/m, /^from app\.orders import line_total$/m] },
    { framework: 'vitest', incident: 'ts-invoices', sources: ['src/dates.ts', 'src/invoice.ts', 'src/types.ts'], testFile: 'test/tracefix-2b81d04c.test.js', lines: [/^import \{ it \} from 'vitest';$/m, /^import \{ formatDueDate \} from '\.\.\/src\/dates\.ts';$/m] },
  ] as const) {
    it(`writes and gates a ${fx.framework} test`, async () => {
      const fixture = await prepareFixture(fx.framework);
      const sandbox = await target!.create(fixture.dir, fx.framework === 'unittest' ? 'python' : 'node');
      try {
        await mkdir(path.join(fixture.dir, path.dirname(fx.sources[0])), { recursive: true });
        for (const s of fx.sources) await cp(path.join(REPRO_REPOS, fx.incident, s), path.join(fixture.dir, s));
        const config = await loadRepoConfig(fixture.dir);
        assert.equal(config.framework, fx.framework);
        const r = await reproduce({ bundle: await fixtureBundle(fx.incident), workspaceDir: fixture.dir, sandbox, repoConfig: config });
        assert.equal(r.status, 'reproduced', JSON.stringify(r.attempts, null, 2));
        if (r.status !== 'reproduced') return;
        assert.equal(r.framework, fx.framework);
        assert.equal(r.testFile, fx.testFile);
        for (const re of fx.lines) assert.match(r.testContent ?? '', re);
        assert.equal(r.runs, 3);
      } finally {
        await sandbox.destroy();
        await fixture.cleanup();
      }
    });
  }
});
