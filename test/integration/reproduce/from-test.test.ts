// An incident from a failing test (CI): the runners' fixture repositories each have one failing
// test (discount HALF: expected 5, got 6). Its failure becomes an Alert with source `ci`, and the
// test itself passes the reproduction gates, until the bug is fixed.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Alert } from '../../../schemas/alert.ts';
import { Reproduction } from '../../../schemas/run.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import { UsageError } from '../../../src/errors.ts';
import { incidentFromFailingTest, reproduceFromTest, type FailingTestIncident } from '../../../src/reproduce/from-test.ts';
import { listWorkspaceFiles } from '../../../src/reproduce/workspace-paths.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import { prepareFixture, type Fixture } from '../../helpers/fixture-repos.ts';
import { sandboxTargets } from './helpers.ts';

const [target] = await sandboxTargets();

interface Env {
  fixture: Fixture;
  sandbox: Sandbox;
  config: RepoConfig;
  files: string[];
}

async function setUp(name: string): Promise<Env> {
  const fixture = await prepareFixture(name);
  const sandbox = await target!.create(fixture.dir, name === 'pytest' ? 'python' : 'node');
  return { fixture, sandbox, config: await loadRepoConfig(fixture.dir), files: await listWorkspaceFiles(fixture.dir) };
}

describe(`incident from a failing node:test test (${target!.name})`, () => {
  let env: Env;
  let incident: FailingTestIncident;
  const id = 'test/discount.test.ts::discount > halves the price';

  before(async () => {
    env = await setUp('node-test');
    incident = await incidentFromFailingTest({ sandbox: env.sandbox, repoConfig: env.config, test: id, workspaceFiles: env.files, repo: { commitSha: 'a'.repeat(40) }, now: new Date('2025-07-01T12:00:00Z') });
  });
  after(async () => {
    await env?.sandbox.destroy();
    await env?.fixture.cleanup();
  });

  it('records type, message, frames and the assertion as a ci alert', () => {
    const { alert, failure, signature } = incident;
    Alert.parse(alert);
    assert.equal(alert.source, 'ci');
    assert.equal(alert.kind, 'test.failed');
    assert.equal(alert.errorType, 'AssertionError');
    assert.match(alert.message, /Expected values to be strictly equal:\s+6 !== 5/);
    assert.equal(alert.commitSha, 'a'.repeat(40));
    assert.deepEqual([failure.expected, failure.actual], ['5', '6']);
    assert.deepEqual([alert.tags['assertion.expected'], alert.tags['assertion.actual'], alert.tags['test.id']], ['5', '6', id]);
    const crash = alert.frames.at(-1);
    assert.deepEqual([crash?.file, crash?.line, crash?.inApp], ['test/discount.test.ts', 11, true]);
    assert.deepEqual(signature.frame, { file: 'test/discount.test.ts', function: 'TestContext.<anonymous>', line: 11 });
    assert.equal(signature.normalizedMessage, 'Expected values to be strictly equal: <num> !== <num>');
    assert.deepEqual(incident.target, { kind: 'test-id', testId: id });
    assert.equal(incident.testFile, 'test/discount.test.ts');
  });

  it('is its own reproduction: the test passes the gates, until the bug is fixed', async () => {
    const input = { sandbox: env.sandbox, repoConfig: env.config, signature: incident.signature, target: incident.target, workspaceFiles: env.files, testFile: 'test/discount.test.ts' };
    const r = await reproduceFromTest(input);
    Reproduction.parse(r);
    assert.equal(r.status, 'reproduced');
    assert.deepEqual(r.status === 'reproduced' && [r.source, r.runs, r.testId], ['existing-test', 3, id]);
    const file = path.join(env.fixture.dir, 'src/discount.ts');
    await writeFile(file, (await readFile(file, 'utf8')).replace('return half + 1;', 'return half;'));
    const fixed = await reproduceFromTest(input);
    assert.equal(fixed.status, 'not-reproduced');
    assert.equal(fixed.attempts[0]?.reason, 'test passed');
  });

  it('refuses a test that passes', async () => {
    await assert.rejects(
      incidentFromFailingTest({ sandbox: env.sandbox, repoConfig: env.config, test: 'test/discount.test.ts::discount > keeps the price without a code', workspaceFiles: env.files }),
      (err: unknown) => err instanceof UsageError && /passed: there is no failure to repair/.test(err.message),
    );
  });
});

describe(`incident from a failing pytest file and from a command (${target!.name})`, () => {
  let env: Env;

  before(async () => {
    env = await setUp('pytest');
  });
  after(async () => {
    await env?.sandbox.destroy();
    await env?.fixture.cleanup();
  });

  it('takes the failing test of a test file, with pytest assertion details', async () => {
    const incident = await incidentFromFailingTest({ sandbox: env.sandbox, repoConfig: env.config, test: 'tests/test_discount.py', workspaceFiles: env.files });
    assert.deepEqual(incident.target, { kind: 'test-id', testId: 'tests/test_discount.py::TestHalf::test_halves_price' });
    assert.equal(incident.alert.errorType, 'AssertionError');
    assert.match(incident.alert.message, /^assert 6\.0 == 5/);
    assert.deepEqual([incident.failure.expected, incident.failure.actual], ['5', '6.0']);
    assert.deepEqual(incident.signature.frame, { file: 'tests/test_discount.py', function: 'test_halves_price', line: 12 });
  });

  it('runs a command and parses its output when no runner id is given', async () => {
    const incident = await incidentFromFailingTest({ sandbox: env.sandbox, repoConfig: env.config, test: 'python3 -m pytest -p no:cacheprovider tests/test_discount.py -k halves', workspaceFiles: env.files });
    assert.equal(incident.target.kind, 'command');
    assert.equal(incident.alert.errorType, 'AssertionError');
    assert.equal(incident.signature.frame?.file, 'tests/test_discount.py');
    assert.equal(incident.signature.frame?.function, 'test_halves_price');
    const r = await reproduceFromTest({ sandbox: env.sandbox, repoConfig: env.config, signature: incident.signature, target: incident.target, workspaceFiles: env.files });
    assert.equal(r.status, 'reproduced', JSON.stringify(r, null, 2));
  });
});
