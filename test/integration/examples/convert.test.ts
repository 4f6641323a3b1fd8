// examples/ as a repair-benchmark corpus (bench/repair/convert-examples.ts): one bug per incident,
// the service without its incidents as repo/, the assembled bundle as the incident, the regression
// test as the hidden ground truth; the harness loads it and the direct path says what it needs.
// A service with dependencies converts installable: its lockfile and its wheel byte for byte.
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Bundle } from '../../../schemas/bundle.ts';
import { convertExamples } from '../../../bench/repair/convert-examples.ts';
import { loadCorpus, type Bug } from '../../../bench/repair/corpus.ts';
import { templatePipeline } from '../../../bench/repair/direct-pipeline.ts';
import { runBug } from '../../../bench/repair/harness.ts';
import { runCommand } from '../../../bench/repair/host-run.ts';
import { installServiceDeps } from '../../../bench/repair/service-deps.ts';
import { loadConfig } from '../../../src/config.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { EXAMPLES_DIR, incidents } from './helpers.ts';

describe('examples/ as a benchmark corpus', () => {
  let out: string;
  let bugs: Bug[];

  before(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'tracefix-examples-corpus-'));
    await convertExamples(EXAMPLES_DIR, out);
    bugs = await loadCorpus(out);
  });
  after(() => rm(out, { recursive: true, force: true }));

  it('has one valid bug per incident: the bundle, the repo without incidents, the hidden test', async () => {
    const all = await incidents();
    assert.deepEqual(
      bugs.map((b) => b.meta.id),
      all.map((i) => `examples-${i.service}-${i.name}`),
    );
    for (const [n, bug] of bugs.entries()) {
      const incident = all[n]!;
      assert.equal(bug.incident.kind, 'bundle');
      if (bug.incident.kind !== 'bundle') continue;
      const bundle = Bundle.parse(bug.incident.bundle);
      assert.equal(bundle.exception.type, incident.error.type);
      if (incident.alert === 'ci-test') {
        // A red CI test: no production trace; the test itself is the reproduction, and it is in repo/.
        assert.equal(bundle.incident.source, 'ci');
        assert.equal(bundle.repro.test?.target.kind, 'test-id');
        assert.ok(incident.ciTest && (await readdir(path.join(bug.repoDir, path.dirname(incident.ciTest.installAs)))).includes(path.basename(incident.ciTest.installAs)), `${bug.meta.id}: the red test is committed`);
      } else assert.ok(bundle.trace.errorSpan, `${bug.meta.id}: the error span`);
      assert.ok(!(await readdir(bug.repoDir)).includes('incidents'));
      assert.ok(bug.meta.files.includes(incident.error.file), `${bug.meta.id}: ${incident.error.file} may be patched`);
      assert.deepEqual(await readdir(path.join(bug.groundTruthDir, path.dirname(incident.regressionTest.installAs))), [path.basename(incident.regressionTest.installAs)]);
    }
  });

  it('keeps a vendored wheel byte for byte (its hash is pinned)', async () => {
    const bug = bugs.find((b) => b.meta.id.startsWith('examples-rates-py-'));
    assert.ok(bug, 'rates-py is converted');
    const wheel = 'wheels/moneytext-1.0.0-py3-none-any.whl';
    assert.deepEqual(await readFile(path.join(bug.repoDir, wheel)), await readFile(path.join(EXAMPLES_DIR, 'rates-py', wheel)));
  });

  it("grades with the hidden test: the JS/TS suites pass on repo/ (dependencies installed), the ground truth fails there", async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), 'tracefix-examples-deps-'));
    await chmod(data, 0o711);
    const ca = process.env['NODE_EXTRA_CA_CERTS'];
    const config = loadConfig({ TRACEFIX_DATA_DIR: data, ...(ca ? { NODE_EXTRA_CA_CERTS: ca } : {}) });
    for (const bug of bugs.filter((b) => b.meta.language !== 'python')) {
      const work = await mkdtemp(path.join(os.tmpdir(), 'tracefix-examples-grade-'));
      try {
        await chmod(work, 0o711);
        await cp(bug.repoDir, work, { recursive: true });
        await installServiceDeps(config, work, await loadRepoConfig(work));
        const visible = await runCommand(bug.meta.tests.visible, work, bug.meta.timeoutMs);
        const incident = (await incidents()).find((i) => `examples-${i.service}-${i.name}` === bug.meta.id);
        // A CI incident's repository holds its red test: the suite fails there, on that test alone.
        if (incident?.ciTest) {
          assert.notEqual(visible.exitCode, 0, `${bug.meta.id}: the red CI test fails on repo/`);
          assert.match(visible.stdout, /# fail 1\b|ℹ fail 1\b/, `${bug.meta.id}: ${visible.stdout}`);
        } else assert.equal(visible.exitCode, 0, `${bug.meta.id}: ${visible.stdout}${visible.stderr}`);
        await cp(bug.groundTruthDir, work, { recursive: true });
        const hidden = await runCommand(bug.meta.tests.groundTruth, work, bug.meta.timeoutMs);
        assert.notEqual(hidden.exitCode, 0, `${bug.meta.id}: the regression test passes on the buggy code`);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }
    await rm(data, { recursive: true, force: true });
  });

  it("the recordings name production's paths only: nothing of the machine that recorded them", async () => {
    // wsgiref copies the recorder's environment into the WSGI environ, stacks name the real
    // node_modules and the host's Python: the recorders rewrite or drop them.
    const leaks = [/\/root\//, /\/work\//, /\/home\//, /pyenv/, /IS_SANDBOX/, /\/tmp\/tracefix-/];
    for (const incident of await incidents()) {
      for (const file of [incident.alertFile, incident.otlpTraces, incident.otlpLogs].filter((f) => f !== undefined)) {
        const text = await readFile(file, 'utf8');
        for (const leak of leaks) assert.doesNotMatch(text, leak, `${path.relative(EXAMPLES_DIR, file)} names ${leak}`);
      }
    }
  });

  it('the direct path reports that bundle incidents need the reproduce stage', async () => {
    const report = await runBug(bugs[0]!, templatePipeline());
    assert.equal(report.reproduced, false);
    assert.match(report.reason ?? '', /need the reproduce stage/);
  });
});
