// The dependency stage on a JS repository with real dependencies: `ms` from the npm registry and a
// vendored tarball whose install script writes marker files. The fetch (host, npm ci
// --ignore-scripts, unprivileged) runs nothing; the sandbox (docker, network none) runs the script
// only because the repository opts in; the second run restores from the cache without fetching;
// a lockfile change misses it.
import assert from 'node:assert/strict';
import { access, chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { installDependencies, InstallError } from '../../../src/install/index.ts';
import { openRunEnvironment } from '../../../src/run/run-env.ts';
import { createWorkspaceManager, loadRepoConfig } from '../../../src/workspace/index.ts';
import { makeJsDepsRepo, npmIn } from '../../helpers/dep-repos.ts';
import { commit, gitIn } from '../../helpers/git-repo.ts';
import { sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';

const skip = await sandboxImagesUnavailable(['node']);
const present = (p: string) => access(p).then(() => true, () => false);

async function setup(t: { after(fn: () => Promise<void>): void }, tracefixYml = 'install:\n  scripts: true\n') {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-install-js-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const marker = path.join(os.tmpdir(), `tracefix-marker-${path.basename(dir)}`);
  t.after(() => rm(marker, { force: true }));
  const cache = path.join(dir, 'npm-home');
  const repo = await makeJsDepsRepo(path.join(dir, 'repo'), cache, { marker, tracefixYml });
  // The machine's egress inspects TLS: the fetch trusts the same extra CA tracefix does.
  const config = loadConfig({ TRACEFIX_DATA_DIR: path.join(dir, 'data'), TRACEFIX_SANDBOX_DRIVER: 'docker', NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] });
  return { dir, repo, marker, cache, config };
}

test('fetch: npm ci --ignore-scripts runs no install script on the host; the cache makes the second fetch a copy', { timeout: 300_000 }, async (t) => {
  const { dir, repo, marker, config } = await setup(t);
  const manager = createWorkspaceManager({ dataDir: config.dataDir });
  const bounds = { maxBytes: 1 << 30, maxAgeMs: 86_400_000 };
  const ca = config.install.caFile ? { caFile: config.install.caFile } : {};
  const ws = await manager.create({ runId: 'run-a', repo: { url: repo } });
  t.after(() => manager.remove(ws));
  const repoConfig = await loadRepoConfig(ws.dir);
  assert.equal(repoConfig.install?.manager, 'npm');
  const first = await installDependencies({ dataDir: config.dataDir, workspaceDir: ws.dir, repoConfig, image: repoConfig.image, bounds, ...ca });
  assert.equal(first?.source, 'fetched');
  assert.equal(first?.installScripts, 1, 'the lockfile marks the vendored package as having an install script');
  assert.ok(await present(path.join(ws.dir, 'node_modules/ms/index.js')), 'ms is installed');
  assert.ok(await present(path.join(ws.dir, 'node_modules/marker-dep/index.js')), 'the vendored package is unpacked');
  // --ignore-scripts held: neither marker exists.
  assert.equal(await present(marker), false, 'the install script did not run on the host');
  assert.equal(await present(path.join(ws.dir, 'node_modules/marker-dep/built.txt')), false);
  // The cache holds one entry, owned by tracefix, not by the unprivileged fetch user.
  const entries = (await readdir(path.join(config.dataDir, 'deps'))).filter((n) => !n.startsWith('.'));
  assert.deepEqual(entries, [first?.key]);

  const ws2 = await manager.create({ runId: 'run-b', repo: { url: repo } });
  t.after(() => manager.remove(ws2));
  const second = await installDependencies({ dataDir: config.dataDir, workspaceDir: ws2.dir, repoConfig: await loadRepoConfig(ws2.dir), image: repoConfig.image, bounds, ...ca });
  assert.equal(second?.source, 'cache', 'no fetch the second time');
  assert.equal(second?.key, first?.key);
  assert.ok(await present(path.join(ws2.dir, 'node_modules/ms/index.js')));
  // No scratch directory of a fetch was made for the hit.
  assert.deepEqual((await readdir(path.join(config.dataDir, 'deps'))).filter((n) => n.startsWith('.tmp-')), []);
  void dir;
});

test('run environment: the sandbox runs the opted-in install script offline, tests pass; cache hit, then a lockfile change misses', { skip, timeout: 600_000 }, async (t) => {
  const { repo, marker, cache, config } = await setup(t);
  const open = (runId: string) => openRunEnvironment({ config, runId, repo: { url: repo }, driver: 'docker', labels: { 'org.tracefix.test': 'install-js' } });

  const a = await open('run-install-a');
  try {
    assert.equal(a.install?.source, 'fetched');
    assert.match(a.install?.detail ?? '', /npm \(package-lock\.json, 2 packages\) fetched; ran in the sandbox: npm rebuild/);
    // The script ran in the sandbox (its package dir is in the workspace), not on the host.
    const built = await a.sandbox.exec(['node', '-e', "process.stdout.write(String(require('marker-dep').built()))"]);
    assert.equal(built.stdout, 'true', built.stderr);
    assert.equal(await present(marker), false, 'the sandbox /tmp is its own');
    const suite = await a.sandbox.exec(['node', '--test']);
    assert.equal(suite.exitCode, 0, suite.stdout + suite.stderr);
  } finally {
    await a.close();
  }

  const b = await open('run-install-b');
  try {
    assert.equal(b.install?.source, 'cache');
    const suite = await b.sandbox.exec(['node', '--test']);
    assert.equal(suite.exitCode, 0, suite.stdout + suite.stderr);
  } finally {
    await b.close();
  }

  // A new lockfile (ms 2.1.2) is a new key: fetched again.
  await npmIn(repo, cache, 'install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', 'ms@2.1.2');
  await commit(repo, {}, 'ms 2.1.2');
  const c = await open('run-install-c');
  try {
    assert.equal(c.install?.source, 'fetched');
    const version = await c.sandbox.exec(['node', '-p', "require('ms/package.json').version"]);
    assert.equal(version.stdout.trim(), '2.1.2');
  } finally {
    await c.close();
  }
});

test('a failed fetch stops the run environment with npm\'s own error; a disallowed registry is refused before any fetch', { timeout: 300_000 }, async (t) => {
  const { repo, config } = await setup(t, 'install:\n  scripts: false\n');
  // A version that does not exist: npm ci reports a 404 (npm's words, trimmed).
  const lockPath = path.join(repo, 'package-lock.json');
  const { readFile, writeFile } = await import('node:fs/promises');
  const lock = JSON.parse(await readFile(lockPath, 'utf8'));
  lock.packages['node_modules/ms'].resolved = 'https://registry.npmjs.org/ms/-/ms-0.0.0-tracefix-missing.tgz';
  delete lock.packages['node_modules/ms'].integrity;
  await writeFile(lockPath, JSON.stringify(lock, null, 2));
  await gitIn(repo, 'commit', '-qam', 'broken lock');
  const failed = await openRunEnvironment({ config, runId: 'run-install-fail', repo: { url: repo }, driver: 'docker' }).then(
    () => assert.fail('expected the install to fail'),
    (error: unknown) => error,
  );
  assert.ok(failed instanceof InstallError, String(failed));
  assert.match(failed.reason, /npm could not fetch the dependencies pinned by package-lock\.json: `npm ci --ignore-scripts` failed \(exit 1\)/);
  assert.match(failed.output, /404/);
  assert.ok(failed.output.split('\n').length <= 20);
  // The workspace was removed with the failure.
  assert.deepEqual(await readdir(path.join(config.dataDir, 'workspaces')).catch(() => []), []);

  lock.packages['node_modules/ms'].resolved = 'https://evil.example/ms/-/ms-2.1.3.tgz';
  await writeFile(lockPath, JSON.stringify(lock, null, 2));
  await gitIn(repo, 'commit', '-qam', 'evil registry');
  await assert.rejects(
    openRunEnvironment({ config, runId: 'run-install-evil', repo: { url: repo }, driver: 'docker' }),
    /package-lock\.json: node_modules\/ms resolves to https:\/\/evil\.example\/ms\/-\/ms-2\.1\.3\.tgz, which is not under an allowed registry \(https:\/\/registry\.npmjs\.org\/\)/,
  );
});
