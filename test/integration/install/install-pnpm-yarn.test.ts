// pnpm and yarn 1 for real: their published releases (npm pack from the configured registry, run
// through the install stage's tool path, as an operator pins them), each installing a repository
// pinned by the lockfile it wrote itself against a registry fake on loopback. The fetch asks the
// registry, lays out node_modules, runs no script of the dependency, and the second checkout of the
// same lockfile restores from the cache without a request. Skipped with the reason when the
// releases cannot be fetched (no registry reachable).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { loadConfig } from '../../../src/config.ts';
import { openRunEnvironment } from '../../../src/environment/run-env.ts';
import { installDependencies, InstallError } from '../../../src/install/index.ts';
import { loadRepoConfig } from '../../../src/workspace/index.ts';
import { npmIn } from '../../helpers/dep-repos.ts';
import { gitIn } from '../../helpers/git-repo.ts';
import { sandboxImagesUnavailable } from '../../helpers/sandbox-probes.ts';

const run = promisify(execFile);
const RELEASES = { pnpm: 'pnpm@9.15.9', yarn: 'yarn@1.22.22' } as const;
const ENTRY = { pnpm: 'package/bin/pnpm.cjs', yarn: 'package/bin/yarn.js' } as const;

const root = await mkdtemp(path.join(os.tmpdir(), 'tracefix-install-pnpm-yarn-'));
await chmod(root, 0o711);
const tools = path.join(root, 'tools');
await mkdir(path.join(tools, 'bin'), { recursive: true });

/** The releases from the registry npm is configured with, unpacked, with a `pnpm` / `yarn` shim each. */
async function fetchReleases(): Promise<string | false> {
  try {
    await npmIn(tools, path.join(root, 'npm-home'), 'pack', RELEASES.pnpm, RELEASES.yarn);
  } catch (error) {
    return `cannot fetch ${Object.values(RELEASES).join(' and ')} from the configured npm registry: ${String((error as Error).message).split('\n')[0]}`;
  }
  for (const [name, spec] of Object.entries(RELEASES)) {
    const dir = path.join(tools, name);
    await mkdir(dir);
    await run('tar', ['xzf', path.join(tools, `${spec.replace('@', '-')}.tgz`), '-C', dir]);
    const shim = path.join(tools, 'bin', name);
    await writeFile(shim, `#!/bin/sh\nexec node ${path.join(dir, ENTRY[name as keyof typeof ENTRY])} "$@"\n`);
    await chmod(shim, 0o755);
  }
  return false;
}

const skip = await fetchReleases();

interface Registry {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

/** `tiny@1.0.0`, whose install script would write a marker outside its package. */
async function registryFake(marker: string): Promise<Registry> {
  const pkg = path.join(root, `tiny-src-${path.basename(marker)}`);
  await mkdir(pkg, { recursive: true });
  await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'tiny', version: '1.0.0', main: 'index.js', scripts: { install: `node -e "require('fs').writeFileSync('${marker}', 'ran')"` } }));
  await writeFile(path.join(pkg, 'index.js'), 'module.exports = () => "tiny";\n');
  const packed = JSON.parse(await npmIn(pkg, path.join(root, 'npm-home'), 'pack', '--json', '--ignore-scripts', '--pack-destination', pkg)) as { filename: string }[];
  const tarball = await readFile(path.join(pkg, packed[0]?.filename ?? ''));
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  const shasum = createHash('sha1').update(tarball).digest('hex');
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    if (req.url === '/tiny') {
      const version = { name: 'tiny', version: '1.0.0', main: 'index.js', scripts: { install: 'node -e 0' }, dist: { tarball: `${base}tiny/-/tiny-1.0.0.tgz`, integrity, shasum } };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'tiny', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': version } }));
    }
    if (req.url === '/tiny/-/tiny-1.0.0.tgz') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const exists = (p: string) => access(p).then(() => true, () => false);

/** A service depending on tiny, locked by the manager itself against the fake; no node_modules. */
async function lockedRepo(manager: 'pnpm' | 'yarn', registry: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'svc', version: '1.0.0', private: true, dependencies: { tiny: '1.0.0' } }, null, 2));
  await writeFile(path.join(dir, '.tracefix.yml'), `install:\n  registries: ["${registry}"]\n`);
  await writeFile(path.join(dir, 'test.js'), "require('node:test')('tiny', () => require('node:assert').equal(require('tiny')(), 'tiny'));\n");
  const env = { PATH: `${path.join(tools, 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: path.join(root, `${manager}-home`) };
  const args =
    manager === 'pnpm'
      ? ['install', '--lockfile-only', '--ignore-scripts', `--registry=${registry}`, `--store-dir=${path.join(root, 'pnpm-store')}`]
      : ['install', '--ignore-scripts', '--no-default-rc', '--non-interactive', '--registry', registry, `--cache-folder=${path.join(root, 'yarn-cache')}`];
  await run(manager, args, { cwd: dir, env });
  await rm(path.join(dir, 'node_modules'), { recursive: true, force: true });
}

test.after(() => rm(root, { recursive: true, force: true }));

for (const manager of ['pnpm', 'yarn'] as const) {
  test(`${manager} (${RELEASES[manager]}) fetches what its lockfile pins from the registry, runs no script, and the second checkout hits the cache`, { skip, timeout: 300_000 }, async (t) => {
    const marker = path.join(root, `${manager}-install-script-ran`);
    const registry = await registryFake(marker);
    t.after(() => registry.close());
    const dataDir = path.join(root, `${manager}-data`);
    const bounds = { maxBytes: 1 << 30, maxAgeMs: 86_400_000 };

    const repo = path.join(root, `${manager}-repo`, 'a');
    await lockedRepo(manager, registry.url, repo);
    const lockfile = manager === 'pnpm' ? 'pnpm-lock.yaml' : 'yarn.lock';
    assert.ok(await exists(path.join(repo, lockfile)), `${manager} wrote ${lockfile}`);
    const repoConfig = await loadRepoConfig(repo);
    assert.equal(repoConfig.install?.manager, manager, 'detected from the lockfile');
    registry.seen.length = 0;

    const input = { dataDir, image: repoConfig.image, bounds, toolPath: [path.join(tools, 'bin')] };
    const first = await installDependencies({ ...input, workspaceDir: repo, repoConfig });
    assert.equal(first?.source, 'fetched');
    assert.equal(first?.manager, manager);
    assert.equal(first?.lockfile, lockfile);
    assert.ok(registry.seen.includes('GET /tiny/-/tiny-1.0.0.tgz'), registry.seen.join('\n'));
    assert.equal(await readFile(path.join(repo, 'node_modules', 'tiny', 'index.js'), 'utf8'), 'module.exports = () => "tiny";\n');
    assert.equal(await exists(marker), false, "the dependency's install script did not run on the host");
    const suite = await run(process.execPath, ['--test', 'test.js'], { cwd: repo }).then(() => 'passed', (error: Error) => error.message);
    assert.equal(suite, 'passed');

    // The same lockfile in another checkout: restored, the registry not asked.
    const again = path.join(root, `${manager}-repo`, 'b');
    await mkdir(again, { recursive: true });
    for (const f of ['package.json', '.tracefix.yml', 'test.js', lockfile]) await writeFile(path.join(again, f), await readFile(path.join(repo, f)));
    registry.seen.length = 0;
    const second = await installDependencies({ ...input, workspaceDir: again, repoConfig: await loadRepoConfig(again) });
    assert.equal(second?.source, 'cache');
    assert.equal(second?.key, first?.key);
    assert.deepEqual(registry.seen, []);
    assert.ok(await exists(path.join(again, 'node_modules', 'tiny', 'index.js')));
  });
}

const skipSandbox = skip || (await sandboxImagesUnavailable(['node']));

test('TRACEFIX_INSTALL_TOOL_PATH: unset, the run stops with pnpm not found and where to put it; set, the run environment fetches with its pnpm', { skip: skipSandbox, timeout: 300_000 }, async (t) => {
  const registry = await registryFake(path.join(root, 'tool-path-install-script-ran'));
  t.after(() => registry.close());
  const repo = path.join(root, 'tool-path-repo');
  await lockedRepo('pnpm', registry.url, repo);
  await writeFile(path.join(repo, '.gitignore'), 'node_modules/\n');
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'service');
  const env = { TRACEFIX_DATA_DIR: path.join(root, 'tool-path-data'), TRACEFIX_SANDBOX_DRIVER: 'docker' };
  const open = (runId: string, extra: Record<string, string> = {}) =>
    openRunEnvironment({ config: loadConfig({ ...env, ...extra }), runId, repo: { url: repo }, driver: 'docker', labels: { 'org.tracefix.test': 'install-tool-path' } });

  // The host has no pnpm: the error says so and names the setting, before any sandbox exists.
  const missing = await open('run-tool-path-unset').then(
    () => assert.fail('expected the install to fail'),
    (error: unknown) => error,
  );
  assert.ok(missing instanceof InstallError, String(missing));
  assert.match(missing.reason, /^pnpm was not found on the tracefix host: install it there, or put a directory holding it in TRACEFIX_INSTALL_TOOL_PATH \(unset\)/);
  await assert.rejects(open('run-tool-path-typo', { TRACEFIX_INSTALL_TOOL_PATH: path.join(root, 'no-such-tools') }), /TRACEFIX_INSTALL_TOOL_PATH names .*no-such-tools, which is not a directory/);

  const run = await open('run-tool-path-set', { TRACEFIX_INSTALL_TOOL_PATH: path.join(tools, 'bin') });
  try {
    assert.equal(run.install?.source, 'fetched');
    assert.match(run.install?.detail ?? '', /^pnpm \(pnpm-lock\.yaml, 1 packages\) fetched/);
    assert.ok(registry.seen.includes('GET /tiny/-/tiny-1.0.0.tgz'), registry.seen.join('\n'));
    const suite = await run.sandbox.exec(['node', '--test', 'test.js']);
    assert.equal(suite.exitCode, 0, suite.stdout + suite.stderr);
  } finally {
    await run.close();
  }
});
