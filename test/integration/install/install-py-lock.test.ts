// The dependency stage on Python repositories pinned by uv.lock and poetry.lock: detected from the
// lockfile, drawn into hashed requirements for the host's interpreter (markers that exclude it drop
// their packages, which have no wheel here and would fail the install), fetched by pip with
// --require-hashes --only-binary from a package index (uv: a PEP 503 index on loopback that counts
// requests) or a wheel directory in the repository (poetry), and cached: a second checkout asks the
// index nothing, a lockfile change misses. Nothing of the checkout runs on the host: its own `pip`
// and `packaging` packages, which `python3 -m pip` from the checkout would have run, leave no marker.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { loadConfig } from '../../../src/config.ts';
import { openRunEnvironment } from '../../../src/environment/run-env.ts';
import { installDependencies, InstallError, PYTHON_DEPS_DIR } from '../../../src/install/index.ts';
import { loadRepoConfig } from '../../../src/workspace/index.ts';
import { commit, gitIn } from '../../helpers/git-repo.ts';
import { servePythonIndex } from '../../helpers/python-index.ts';
import { makeLockedPyRepo, makeLockWheels, POETRY_PYPROJECT, poetryLockText, UV_PYPROJECT, uvLockText } from '../../helpers/python-lock-repos.ts';
import { sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';

const run = promisify(execFile);
const bounds = { maxBytes: 1 << 30, maxAgeMs: 86_400_000 };

const root = await mkdtemp(path.join(os.tmpdir(), 'tracefix-install-py-lock-'));
// The fetch runs as uid 10001 when the tests run as root: it must reach the checkouts.
await chmod(root, 0o711);
test.after(() => rm(root, { recursive: true, force: true }));

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** What the fetched tree imports as, with the host's python3: `<tinyunits version> <seconds("2s")> <devtool.READY>`. */
async function importFrom(workspace: string): Promise<string> {
  const { stdout } = await run('python3', ['-c', 'import tinyunits, devtool; print(tinyunits.VERSION, tinyunits.seconds("2s"), devtool.READY)'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '/usr/bin', PYTHONPATH: path.join(workspace, PYTHON_DEPS_DIR) },
  });
  return stdout.trim();
}

async function installed(workspace: string): Promise<string[]> {
  return (await readdir(path.join(workspace, PYTHON_DEPS_DIR))).filter((f) => !f.endsWith('.dist-info') && !f.startsWith('__')).sort();
}

/** A checkout's own `pip` and `packaging` packages: each writes `marker` if the host ever imports it. */
function hostileModules(marker: string): Record<string, string> {
  const write = `open(${JSON.stringify(marker)}, "w").write("ran")\n`;
  return { 'pip/__init__.py': write, 'pip/__main__.py': write, 'packaging/__init__.py': write, 'packaging/markers.py': write };
}

async function clone(from: string, to: string): Promise<string> {
  await run('git', ['clone', '-q', from, to]);
  return to;
}

test('uv.lock: detected, drawn for this interpreter, fetched by hash from the index, cached, missed on a lockfile change; no repository code runs', { timeout: 300_000 }, async (t) => {
  const wheels = await makeLockWheels(path.join(root, 'uv-wheels'));
  const index = await servePythonIndex(wheels.dir);
  t.after(() => index.close());
  const marker = path.join(root, 'uv-repository-code-ran');
  const dataDir = path.join(root, 'uv-data');
  const repo = await makeLockedPyRepo(path.join(root, 'uv-repo'), {
    'pyproject.toml': UV_PYPROJECT,
    'uv.lock': uvLockText(wheels, index.url),
    '.tracefix.yml': `install:\n  registries: ["${index.url}"]\n`,
    ...hostileModules(marker),
  });

  const repoConfig = await loadRepoConfig(repo);
  assert.equal(repoConfig.language, 'python');
  assert.deepEqual(repoConfig.install, { manager: 'uv', lockfile: 'uv.lock', registries: [index.url], scripts: false });

  const first = await installDependencies({ dataDir, workspaceDir: repo, repoConfig, image: repoConfig.image, bounds });
  assert.equal(first?.source, 'fetched');
  assert.equal(first?.manager, 'uv');
  // svc's tinyunits → helperlib, and the dev group's devtool; winonly (win32) and oldpy (Python 2) are not for this interpreter.
  assert.equal(first?.packages, 3);
  assert.deepEqual(await installed(repo), ['devtool', 'helperlib', 'tinyunits']);
  assert.equal(await importFrom(repo), '1.0.0 2 True');
  const files = index.seen.filter((r) => r.startsWith('GET /files/')).sort();
  assert.deepEqual(files, ['GET /files/devtool-1.0.0-py3-none-any.whl', 'GET /files/helperlib-1.0.0-py3-none-any.whl', 'GET /files/tinyunits-1.0.0-py3-none-any.whl']);
  assert.ok(!index.seen.some((r) => /winonly|oldpy/.test(r)), index.seen.join('\n'));
  assert.equal(await exists(marker), false, "the checkout's own pip/packaging never ran on the host");
  assert.deepEqual(first?.sandboxEnv, { PYTHONPATH: `/workspace/${PYTHON_DEPS_DIR}` });

  // The same lockfile in another checkout: restored, the index not asked.
  const again = await clone(repo, path.join(root, 'uv-again'));
  index.seen.length = 0;
  const second = await installDependencies({ dataDir, workspaceDir: again, repoConfig: await loadRepoConfig(again), image: repoConfig.image, bounds });
  assert.equal(second?.source, 'cache');
  assert.equal(second?.key, first?.key);
  assert.deepEqual([...index.seen], []);
  assert.equal(await importFrom(again), '1.0.0 2 True');

  // tinyunits 1.1.0 in the lockfile: a new key, fetched.
  await commit(again, { 'uv.lock': uvLockText(wheels, index.url, '1.1.0') }, 'tinyunits 1.1.0');
  await rm(path.join(again, '.tracefix-deps'), { recursive: true, force: true });
  const third = await installDependencies({ dataDir, workspaceDir: again, repoConfig: await loadRepoConfig(again), image: repoConfig.image, bounds });
  assert.equal(third?.source, 'fetched');
  assert.notEqual(third?.key, first?.key);
  assert.ok(index.seen.includes('GET /files/tinyunits-1.1.0-py3-none-any.whl'), index.seen.join('\n'));
  assert.equal(await importFrom(again), '1.1.0 2 True');

  // A wheel whose hash is not the lock's: pip's own refusal, and the run stops here.
  const tampered = uvLockText(wheels, index.url).replace(wheels.hash['helperlib-1.0.0'] ?? '', 'f'.repeat(64));
  await commit(again, { 'uv.lock': tampered }, 'a wrong hash');
  await rm(path.join(again, '.tracefix-deps'), { recursive: true, force: true });
  const failed = await installDependencies({ dataDir, workspaceDir: again, repoConfig: await loadRepoConfig(again), image: repoConfig.image, bounds }).then(
    () => assert.fail('expected the install to fail'),
    (error: unknown) => error,
  );
  assert.ok(failed instanceof InstallError, String(failed));
  assert.match(failed.reason, /uv could not fetch the dependencies pinned by uv\.lock/);
  assert.match(failed.output, /HASHES|hash/i);
  assert.equal(await exists(marker), false);

  // Locked against another index, with a version ours does not have: pip's own words, and the hint.
  const corp = uvLockText(wheels, 'https://pypi.corp.example/simple').replace(/name = "tinyunits"\nversion = "1\.0\.0"/, 'name = "tinyunits"\nversion = "9.9.9"');
  await commit(again, { 'uv.lock': corp }, 'locked against the corporate index');
  const elsewhere = await installDependencies({ dataDir, workspaceDir: again, repoConfig: await loadRepoConfig(again), image: repoConfig.image, bounds }).then(
    () => assert.fail('expected the install to fail'),
    (error: unknown) => error,
  );
  assert.ok(elsewhere instanceof InstallError, String(elsewhere));
  assert.match(elsewhere.reason, /`python3 -I -m pip install` failed \(exit 1\); uv\.lock was locked against https:\/\/pypi\.corp\.example\/simple, which install\.registries does not list/);
  assert.match(elsewhere.output, /No matching distribution found for tinyunits==9\.9\.9/);
});

test('poetry.lock: roots from pyproject.toml, package and edge markers respected, fetched from the repository\'s wheel directory, cached, missed on a lockfile change', { timeout: 300_000 }, async () => {
  const marker = path.join(root, 'poetry-repository-code-ran');
  const dataDir = path.join(root, 'poetry-data');
  const dir = path.join(root, 'poetry-repo');
  await mkdir(dir, { recursive: true });
  const wheels = await makeLockWheels(path.join(dir, 'wheels'));
  const repo = await makeLockedPyRepo(dir, {
    'pyproject.toml': POETRY_PYPROJECT,
    'poetry.lock': poetryLockText(wheels),
    '.tracefix.yml': 'install:\n  registries: ["./wheels"]\n',
    ...hostileModules(marker),
  });
  const repoConfig = await loadRepoConfig(repo);
  assert.deepEqual(repoConfig.install, { manager: 'poetry', lockfile: 'poetry.lock', registries: ['./wheels'], scripts: false });

  const first = await installDependencies({ dataDir, workspaceDir: repo, repoConfig, image: repoConfig.image, bounds });
  assert.equal(first?.source, 'fetched');
  assert.equal(first?.packages, 3);
  assert.deepEqual(await installed(repo), ['devtool', 'helperlib', 'tinyunits']);
  assert.equal(await importFrom(repo), '1.0.0 2 True');
  assert.equal(await exists(marker), false);

  const again = await clone(repo, path.join(root, 'poetry-again'));
  const second = await installDependencies({ dataDir, workspaceDir: again, repoConfig: await loadRepoConfig(again), image: repoConfig.image, bounds });
  assert.equal(second?.source, 'cache');
  assert.equal(second?.key, first?.key);

  await commit(again, { 'poetry.lock': poetryLockText(wheels, '1.1.0') }, 'tinyunits 1.1.0');
  await rm(path.join(again, '.tracefix-deps'), { recursive: true, force: true });
  const third = await installDependencies({ dataDir, workspaceDir: again, repoConfig: await loadRepoConfig(again), image: repoConfig.image, bounds });
  assert.equal(third?.source, 'fetched');
  assert.notEqual(third?.key, first?.key);
  assert.equal(await importFrom(again), '1.1.0 2 True');
});

const skipSandbox = await sandboxImagesUnavailable(['python']);

test('uv.lock through a run environment: the sandbox (network none) imports the fetched tree and the suite passes', { skip: skipSandbox, timeout: 300_000 }, async (t) => {
  const wheels = await makeLockWheels(path.join(root, 'env-wheels'));
  const index = await servePythonIndex(wheels.dir);
  t.after(() => index.close());
  const repo = await makeLockedPyRepo(path.join(root, 'env-repo'), {
    'pyproject.toml': UV_PYPROJECT,
    'uv.lock': uvLockText(wheels, index.url),
    '.tracefix.yml': `install:\n  registries: ["${index.url}"]\n`,
  });
  await gitIn(repo, 'log', '-1', '--format=%H');
  const config = loadConfig({ TRACEFIX_DATA_DIR: path.join(root, 'env-data'), TRACEFIX_SANDBOX_DRIVER: 'docker' });
  const env = await openRunEnvironment({ config, runId: 'run-uv-lock', repo: { url: repo }, driver: 'docker', labels: { 'org.tracefix.test': 'install-py-lock' } });
  try {
    assert.equal(env.install?.source, 'fetched');
    assert.match(env.install?.detail ?? '', /uv \(uv\.lock, 3 packages\) fetched/);
    const suite = await env.sandbox.exec(['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
    assert.equal(suite.exitCode, 0, suite.stdout + suite.stderr);
    assert.equal(await env.sandbox.diff(), '', 'the fetched tree never shows in the diff');
  } finally {
    await env.close();
  }
});
