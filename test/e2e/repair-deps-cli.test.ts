// `tracefix repair` on a repository with real dependencies and no node_modules: the js-cart fixture
// plus `ms` from the npm registry, used by a module whose tests are part of the suite. Without the
// install stage the baseline is red ("Cannot find module 'ms'") and nothing validates; with it the
// first run fetches, reproduces and validates a fix in the docker sandbox, and the second run of the
// same repository restores the dependencies from the cache (its progress says so; nothing fetched).
import assert from 'node:assert/strict';
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Run } from '../../schemas/run.ts';
import { runCli } from '../helpers/cli.ts';
import { npmIn } from '../helpers/dep-repos.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { sandboxImagesUnavailable } from '../helpers/sandbox-probes.ts';

const REPOS = path.resolve(import.meta.dirname, '../fixtures/repro-repos');
const skip = await sandboxImagesUnavailable(['node']);

test('js-cart with an npm dependency: repair installs, validates a fix, and the second run hits the cache', { skip, timeout: 900_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-repair-deps-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const repo = path.join(dir, 'repo');
  await cp(path.join(REPOS, 'js-cart'), repo, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8'));
  await writeFile(path.join(repo, 'package.json'), JSON.stringify({ ...pkg, dependencies: { ms: '2.1.3' } }, null, 2));
  await writeFile(path.join(repo, 'src', 'ttl.js'), "const ms = require('ms');\n\nexports.cartTtlMs = () => ms('30m');\n");
  await mkdir(path.join(repo, 'test'), { recursive: true });
  await writeFile(
    path.join(repo, 'test', 'ttl.test.js'),
    "const test = require('node:test');\nconst assert = require('node:assert');\nconst { cartTtlMs } = require('../src/ttl.js');\n\ntest('carts live 30 minutes', () => assert.equal(cartTtlMs(), 1_800_000));\n",
  );
  await writeFile(path.join(repo, '.gitignore'), 'node_modules/\n');
  await npmIn(repo, path.join(dir, 'npm-home'), 'install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund');
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'service at the incident');

  const env = {
    TRACEFIX_DATA_DIR: path.join(dir, 'data'),
    TRACEFIX_SANDBOX_DRIVER: 'docker',
    ...(process.env['NODE_EXTRA_CA_CERTS'] ? { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] } : {}),
  };
  const bundlePath = path.join(dir, 'bundle.json');
  const made = await runCli(['bundle', '--sentry', path.join(REPOS, 'js-cart', 'incident.sentry.json'), '--repo', repo, '-o', bundlePath], env);
  assert.equal(made.code, 0, made.output);

  const first = path.join(dir, 'out-1');
  const repaired = await runCli(['repair', '--bundle', bundlePath, '--repo', repo, '--engine', 'templates', '--sandbox', 'docker', '--out', first], env, 840_000);
  assert.equal(repaired.code, 0, repaired.output);
  assert.match(repaired.output, /install: ok \(npm \(package-lock\.json, 1 packages\) fetched\)/);
  assert.match(repaired.output, /fixed: /);
  const result = Run.parse(JSON.parse(await readFile(path.join(first, 'result.json'), 'utf8')));
  assert.equal(result.status, 'fixed');
  const chosen = result.candidates.find((c) => c.id === result.proposal?.candidateId);
  assert.ok(chosen?.checks.some((c) => c.name === 'suite' && c.ok), 'the whole suite, ttl.test.js with ms included, passed');

  // Second run of the same repository: restored from the cache, no fetch.
  const second = path.join(dir, 'out-2');
  const again = await runCli(['repair', '--bundle', bundlePath, '--repo', repo, '--engine', 'templates', '--sandbox', 'docker', '--out', second], env, 840_000);
  assert.equal(again.code, 0, again.output);
  assert.match(again.output, /install: ok \(npm \(package-lock\.json, 1 packages\) restored from the cache\)/);
  assert.doesNotMatch(again.output, /Fetching dependencies/);
  const entries = (await readdir(path.join(dir, 'data', 'deps'))).filter((n) => !n.startsWith('.'));
  assert.equal(entries.length, 1, 'one cache entry for one lockfile');
});

test('a repository whose install fails ends not-reproduced with the reason, before any baseline', { skip, timeout: 300_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-repair-deps-fail-'));
  await chmod(dir, 0o711);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const repo = path.join(dir, 'repo');
  await cp(path.join(REPOS, 'js-cart'), repo, { recursive: true, filter: (src) => !src.endsWith('incident.sentry.json') });
  const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8'));
  await writeFile(path.join(repo, 'package.json'), JSON.stringify({ ...pkg, dependencies: { ms: '2.1.3' } }, null, 2));
  // A lockfile pointing at a registry the repository did not allow.
  await writeFile(
    path.join(repo, 'package-lock.json'),
    JSON.stringify({ name: 'fixture-repro-js-cart', lockfileVersion: 3, requires: true, packages: { '': { dependencies: { ms: '2.1.3' } }, 'node_modules/ms': { version: '2.1.3', resolved: 'https://npm.evil.example/ms/-/ms-2.1.3.tgz' } } }, null, 2),
  );
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'service');
  const env = { TRACEFIX_DATA_DIR: path.join(dir, 'data') };
  const bundlePath = path.join(dir, 'bundle.json');
  assert.equal((await runCli(['bundle', '--sentry', path.join(REPOS, 'js-cart', 'incident.sentry.json'), '--repo', repo, '-o', bundlePath], env)).code, 0);
  const out = path.join(dir, 'out');
  const res = await runCli(['repair', '--bundle', bundlePath, '--repo', repo, '--engine', 'templates', '--sandbox', 'docker', '--out', out], env, 240_000);
  assert.notEqual(res.code, 0, res.output);
  assert.match(res.output, /dependency install failed: package-lock\.json: node_modules\/ms resolves to https:\/\/npm\.evil\.example/);
  const result = Run.parse(JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')));
  assert.equal(result.status, 'not-reproduced');
  assert.match(result.reason ?? '', /^dependency install failed before the baseline: /);
  assert.deepEqual(result.reproduction?.attempts, []);
});
