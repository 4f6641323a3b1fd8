// Reproduction without locals: incidents reported through a GitHub issue (a pasted stack, a trace
// id, the failing request line; no frame locals, no trace backend) go through the real intake and
// assembler, and the reproduce stage searches the inputs nobody recorded (the request under
// another name, the type's boundaries) until a test fails with the incident's signature 3 of 3
// runs; the test and the attempt record say which inputs were recorded and which were searched,
// and the test passes once the known fix is applied.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Bundle } from '../../../schemas/bundle.ts';
import { Reproduction } from '../../../schemas/run.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import { assembleBundle } from '../../../src/assemble/assemble.ts';
import { fingerprint } from '../../../src/evidence/fingerprint.ts';
import { parseGithubDelivery } from '../../../src/intake/github/parse-delivery.ts';
import { reproduce, type ReproduceResult } from '../../../src/reproduce/index.ts';
import { runTests } from '../../../src/runners/run-tests.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { REPRO_REPOS } from '../../unit/reproduce/helpers.ts';
import { copyRepo, sandboxTargets, type RepoCopy } from './helpers.ts';

const targets = await sandboxTargets();
const PAYLOAD = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/github/issues-labeled.json'), 'utf8')) as Record<string, any>;

/** The fixture's issue text (`incident.github.md`) as a labeled-issue webhook, through intake and assembly. */
async function issueBundle(name: string, incidentId: string): Promise<Bundle> {
  const body = readFileSync(path.join(REPRO_REPOS, name, 'incident.github.md'), 'utf8');
  const payload = { ...PAYLOAD, label: { ...PAYLOAD['label'], name: 'tracefix' }, issue: { ...PAYLOAD['issue'], title: 'Server error', body } };
  const outcome = parseGithubDelivery(
    { raw: Buffer.from(JSON.stringify(payload)), headers: { 'x-github-event': 'issues', 'x-github-delivery': 'd-1', 'content-type': 'application/json' }, receivedAt: new Date('2026-12-01T10:00:00Z') },
    { label: 'tracefix' },
  );
  assert.equal(outcome.kind, 'alert');
  if (outcome.kind !== 'alert') throw new Error('not an alert');
  const { bundle } = await assembleBundle({
    incident: { id: incidentId, fingerprint: fingerprint(outcome.alert) },
    alerts: [outcome.alert],
    spans: [],
    logs: [],
    options: { redaction: { key: Buffer.alloc(32, 7) } },
  });
  return bundle;
}

const CASES = [
  {
    name: 'js-paging',
    runtime: 'node',
    incident: 'inc_5e1d0a4f2c',
    testFile: 'test/tracefix-5e1d0a4f.test.js',
    fn: 'paginate',
    type: 'RangeError',
    searched: [
      ['items', 'type-boundary', 'a boundary of its type (array): []'],
      ['pageSize', 'request', 'query parameter "limit" of the failing request as number (0)'],
    ],
    recorded: [] as string[][],
    fix: { file: 'src/paginate.js', from: 'function paginate(items, pageSize) {\n', to: 'function paginate(items, requested) {\n  const pageSize = requested > 0 ? requested : 20;\n' },
    literal: /const items = \[\];\n {2}const pageSize = 0;/,
  },
  {
    name: 'py-reports',
    runtime: 'python',
    incident: 'inc_9c3b7e21aa',
    testFile: 'tests/test_tracefix_9c3b7e21.py',
    fn: 'average_per_day',
    type: 'ZeroDivisionError',
    searched: [['totals', 'type-boundary', 'a boundary of its type (array): []']],
    recorded: [['days', 'request', 'query parameter "days", as int (the handler converts the text)']],
    fix: { file: 'app/reports.py', from: '    return sum(totals) / days\n', to: '    if days <= 0:\n        return 0.0\n    return sum(totals) / days\n' },
    literal: /totals = \[\]\n {4}days = 0\n {4}average_per_day\(totals, days\)/,
  },
] as const;

for (const target of targets) {
  for (const c of CASES) {
    describe(`reproduce a GitHub-issue incident without locals: ${c.name} (${target.name})`, { skip: target.skip }, () => {
      let repo: RepoCopy;
      let sandbox: Sandbox;
      let config: RepoConfig;
      let bundle: Bundle;
      let result: ReproduceResult;

      before(async () => {
        repo = await copyRepo(c.name);
        sandbox = await target.create(repo.dir, c.runtime);
        config = await loadRepoConfig(repo.dir);
        bundle = await issueBundle(c.name, c.incident);
        result = await reproduce({ bundle, workspaceDir: repo.dir, sandbox, repoConfig: config });
      });
      after(async () => {
        await sandbox?.destroy();
        await repo?.cleanup();
      });

      it('the issue carried a stack and a request line, but no locals', () => {
        assert.ok(bundle.exception.frames.length > 0);
        assert.ok(bundle.exception.frames.every((f) => !f.locals || Object.keys(f.locals).length === 0));
        assert.equal(bundle.repro.request?.method, 'GET');
      });

      it('searches the inputs nobody recorded and reproduces with the signature 3 of 3 runs', () => {
        Reproduction.parse(result);
        assert.equal(result.status, 'reproduced', JSON.stringify(result, null, 2));
        if (result.status !== 'reproduced') return;
        assert.equal(result.testFile, c.testFile);
        assert.equal(result.runs, 3);
        assert.equal(result.signature.type, c.type);
        const winner = result.attempts.at(-1);
        assert.equal(winner?.outcome, 'reproduced');
        assert.equal(winner?.frame?.function, c.fn);
        assert.equal(winner?.runs.filter((r) => r.match).length, 3);
        // The skipped first try names the parameter nobody recorded.
        assert.ok(result.attempts.some((a) => a.outcome === 'skipped' && a.frame?.function === c.fn && /no value for parameter/.test(a.reason ?? '')));
        const searched = (winner?.arguments ?? []).filter((a) => a.searched).map((a) => [a.name, a.source, a.detail]);
        assert.deepEqual(searched, c.searched);
        const recorded = (winner?.arguments ?? []).filter((a) => !a.searched).map((a) => [a.name, a.source, a.detail]);
        assert.deepEqual(recorded, c.recorded);
        assert.match(result.testContent ?? '', c.literal);
        // The test says which inputs were recorded and which were searched.
        assert.match(result.testContent ?? '', /Recorded inputs: /);
        assert.match(result.testContent ?? '', /Searched inputs \(production recorded no value/);
        for (const [name] of c.searched) assert.match(result.testContent ?? '', new RegExp(`^(#|//)\\s+${name}: `, 'm'));
      });

      it('passes once the known fix is applied', async () => {
        assert.equal(result.status, 'reproduced');
        if (result.status !== 'reproduced') return;
        const file = path.join(repo.dir, c.fix.file);
        const text = await readFile(file, 'utf8');
        assert.ok(text.includes(c.fix.from));
        await writeFile(file, text.replace(c.fix.from, c.fix.to));
        const one = await runTests(sandbox, config, { testIds: [result.testId] });
        assert.deepEqual(one.tests.map((t) => [t.id, t.status]), [[result.testId, 'passed']], JSON.stringify(one.tests, null, 2));
      });
    });
  }
}
