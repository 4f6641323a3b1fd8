// The examples with dependencies (sessions-js: npm; rates-py: pip from its wheel directory) as a
// run opens them: no node_modules or site-packages committed, the install stage fetches, and the
// service's own suite passes in the docker sandbox; the bug each carries shows there too.
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { openRunEnvironment } from '../../../src/run/run-env.ts';
import { gitIn } from '../../helpers/git-repo.ts';
import { sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');
const skip = await sandboxImagesUnavailable(['node', 'python']);

const CASES = [
  {
    service: 'sessions-js',
    suite: ['node', '--test'],
    bug: ['node', '-e', "require('./src/ttl.js').sessionTtlMs(require('./src/rules.js'), 'guest')"],
    error: /TypeError: Reduce of empty array with no initial value/,
  },
  {
    service: 'rates-py',
    suite: ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'],
    bug: ['python3', '-c', 'from app.rates import average_price_cents; average_price_cents([], "asia")'],
    error: /ZeroDivisionError/,
  },
];

for (const c of CASES) {
  test(`examples/${c.service}: dependencies installed before the baseline, the suite passes, the bug reproduces`, { skip, timeout: 300_000 }, async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `tracefix-example-deps-${c.service}-`));
    await chmod(dir, 0o711);
    t.after(() => rm(dir, { recursive: true, force: true }));
    const repo = path.join(dir, 'repo');
    await cp(path.join(EXAMPLES, c.service), repo, { recursive: true, filter: (src) => !/(^|\/)(node_modules|incidents|__pycache__)(\/|$)/.test(path.relative(EXAMPLES, src)) });
    await gitIn(repo, 'init', '-q', '-b', 'main');
    await gitIn(repo, 'add', '-A');
    await gitIn(repo, 'commit', '-q', '-m', 'as deployed');
    const config = loadConfig({ TRACEFIX_DATA_DIR: path.join(dir, 'data'), NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] });
    const env = await openRunEnvironment({ config, runId: `run-${c.service}`, repo: { url: repo }, driver: 'docker', labels: { 'org.tracefix.test': 'install-examples' } });
    try {
      assert.equal(env.install?.source, 'fetched', env.install?.detail ?? 'no install');
      const suite = await env.sandbox.exec(c.suite);
      assert.equal(suite.exitCode, 0, suite.stdout + suite.stderr);
      const bug = await env.sandbox.exec(c.bug);
      assert.notEqual(bug.exitCode, 0);
      assert.match(bug.stderr, c.error);
    } finally {
      await env.close();
    }
  });
}
