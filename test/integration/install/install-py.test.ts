// The dependency stage on a Python repository: requirements.txt pinning a wheel from a wheel
// directory the repository ships (PyPI is not reachable here, and a wheel directory is what a
// private mirror looks like to pip). pip installs into a target directory with --no-deps and
// --only-binary (no setup code runs); the sandbox finds it through PYTHONPATH. Same cache
// behaviour as npm: a hit the second time, a miss when the requirements change; a hash mismatch
// fails with pip's own words.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { InstallError } from '../../../src/install/index.ts';
import { openRunEnvironment } from '../../../src/run/run-env.ts';
import { makePyDepsRepo, sha256File } from '../../helpers/dep-repos.ts';
import { commit } from '../../helpers/git-repo.ts';
import { sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';

const skip = await sandboxImagesUnavailable(['python']);

test('pip: wheels from the repository\'s wheel directory, PYTHONPATH in the sandbox, cache hit, requirements change misses, bad hash fails', { skip, timeout: 600_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-install-py-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const repo = await makePyDepsRepo(path.join(dir, 'repo'));
  const config = loadConfig({ TRACEFIX_DATA_DIR: path.join(dir, 'data'), TRACEFIX_SANDBOX_DRIVER: 'docker' });
  const open = (runId: string) => openRunEnvironment({ config, runId, repo: { url: repo }, driver: 'docker', labels: { 'org.tracefix.test': 'install-py' } });

  const a = await open('run-py-a');
  try {
    assert.equal(a.install?.source, 'fetched');
    assert.match(a.install?.detail ?? '', /pip \(requirements\.txt, 1 packages\) fetched/);
    const suite = await a.sandbox.exec(['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
    assert.equal(suite.exitCode, 0, suite.stdout + suite.stderr);
    const version = await a.sandbox.exec(['python3', '-c', 'import importlib.metadata as m; print(m.version("tinyunits"))']);
    assert.equal(version.stdout.trim(), '1.0.0', version.stderr);
    // The installed tree never shows in the workspace's diff.
    assert.equal(await a.sandbox.diff(), '');
  } finally {
    await a.close();
  }

  const b = await open('run-py-b');
  try {
    assert.equal(b.install?.source, 'cache');
    const suite = await b.sandbox.exec(['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
    assert.equal(suite.exitCode, 0, suite.stdout + suite.stderr);
  } finally {
    await b.close();
  }

  // Pinned by hash: a new requirements file is a new key, and --require-hashes is in force.
  const wheel = path.join(repo, 'wheels', 'tinyunits-1.1.0-py3-none-any.whl');
  await commit(repo, { 'requirements.txt': `tinyunits==1.1.0 --hash=sha256:${await sha256File(wheel)}\n` }, 'tinyunits 1.1.0, hashed');
  const c = await open('run-py-c');
  try {
    assert.equal(c.install?.source, 'fetched');
    const version = await c.sandbox.exec(['python3', '-c', 'import importlib.metadata as m; print(m.version("tinyunits"))']);
    assert.equal(version.stdout.trim(), '1.1.0');
  } finally {
    await c.close();
  }

  await commit(repo, { 'requirements.txt': `tinyunits==1.1.0 --hash=sha256:${'0'.repeat(64)}\n` }, 'a wrong hash');
  const failed = await open('run-py-d').then(
    () => assert.fail('expected the install to fail'),
    (error: unknown) => error,
  );
  assert.ok(failed instanceof InstallError, String(failed));
  assert.match(failed.reason, /pip could not fetch the dependencies pinned by requirements\.txt/);
  assert.match(failed.output, /HASHES|hash/i);

  // A requirement pip would build from source is refused before pip runs.
  await writeFile(path.join(repo, 'requirements.txt'), '-e .\n');
  await commit(repo, {}, 'editable');
  await assert.rejects(open('run-py-e'), /requirements\.txt: "-e \." is a pip option; tracefix installs only named packages/);
});
