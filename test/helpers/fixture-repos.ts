// Fixture repositories for runner tests: test/fixtures/repos/<name> copied into a temp directory.
// Fixtures with a package-lock.json get node_modules from a cache in os.tmpdir(), keyed by the
// hash of package.json + lockfile and installed once with `npm install --prefer-offline` (not
// `npm ci`: a registry that lacks other platforms' optional packages leaves lockfiles that `npm ci`
// calls out of sync); each test's copy hardlinks it (cheap, and a real directory, so a jailed
// sandbox sees it too).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../fixtures/repos');
const CACHE_DIR = path.join(os.tmpdir(), 'tracefix-fixture-node-modules');

function nodeEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env['PATH'] ?? '/usr/bin:/bin'}` };
}

async function cachedNodeModules(fixture: string): Promise<string> {
  const pkg = await readFile(path.join(fixture, 'package.json'));
  const lock = await readFile(path.join(fixture, 'package-lock.json'));
  const key = createHash('sha256').update(pkg).update(lock).digest('hex').slice(0, 16);
  const dir = path.join(CACHE_DIR, `${path.basename(fixture)}-${key}`);
  if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules');
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  await cp(path.join(fixture, 'package.json'), path.join(staging, 'package.json'));
  await cp(path.join(fixture, 'package-lock.json'), path.join(staging, 'package-lock.json'));
  try {
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: staging,
      env: nodeEnv(),
      timeout: 240_000,
    });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  // Another process may have won the race; either copy is complete and equal.
  await rename(staging, dir).catch(async () => rm(staging, { recursive: true, force: true }));
  return path.join(dir, 'node_modules');
}

export interface Fixture {
  dir: string;
  cleanup(): Promise<void>;
}

/** A fresh copy of fixture `name` (with node_modules when it has a lockfile) in a temp dir. */
export async function prepareFixture(name: string, options: { git?: boolean } = {}): Promise<Fixture> {
  const source = path.join(FIXTURES_DIR, name);
  const parent = await mkdtemp(path.join(os.tmpdir(), `tracefix-fx-${name}-`));
  // mkdtemp makes it 0700: a sandbox running as another uid must be able to reach the workspace.
  await chmod(parent, 0o711);
  const dir = path.join(parent, 'repo');
  await cp(source, dir, { recursive: true });
  if (existsSync(path.join(source, 'package-lock.json'))) {
    const modules = await cachedNodeModules(source);
    try {
      await run('cp', ['-al', modules, path.join(dir, 'node_modules')]);
    } catch {
      await cp(modules, path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    }
  }
  if (options.git) {
    const git = (...args: string[]) => run('git', args, { cwd: dir });
    await git('init', '-q', '-b', 'main');
    await writeFile(path.join(dir, '.gitignore'), 'node_modules/\n', { flag: 'a' });
    await git('add', '-A');
    await git('-c', 'user.name=fixture', '-c', 'user.email=fixture@example.invalid', 'commit', '-qm', 'fixture');
  }
  return { dir, cleanup: () => rm(parent, { recursive: true, force: true }) };
}

/** True when `<python> -c 'import pytest'` works on this host. */
export async function hasPytest(python = 'python3'): Promise<boolean> {
  return run(python, ['-c', 'import pytest']).then(() => true, () => false);
}
