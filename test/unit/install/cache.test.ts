import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheKey, lookup, prune, store } from '../../../src/install/cache.ts';
import { fetchPlan } from '../../../src/install/managers.ts';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'tracefix-deps-cache-'));
after(() => rm(tmp, { recursive: true, force: true }));

async function tree(name: string, bytes: number): Promise<string> {
  const dir = path.join(tmp, 'src', name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'blob'), Buffer.alloc(bytes, 1));
  return dir;
}

describe('dependency cache', () => {
  it('keys on every input: lockfile, runtime, registries', () => {
    const base = { manager: 'npm', lockHashes: ['a'], runtime: ['11.0.0', 'v24', 'img'], registries: ['https://registry.npmjs.org/'] };
    const k = cacheKey(base);
    assert.equal(cacheKey({ ...base }), k);
    assert.notEqual(cacheKey({ ...base, lockHashes: ['b'] }), k);
    assert.notEqual(cacheKey({ ...base, runtime: ['11.0.0', 'v25', 'img'] }), k);
    assert.notEqual(cacheKey({ ...base, registries: ['https://npm.example.com/'] }), k);
  });

  it('stores, looks up, and prunes by age and then by size, least recently used first', async () => {
    const data = path.join(tmp, 'data');
    for (const [key, bytes] of [['old', 1000], ['mid', 4000], ['new', 4000]] as const) await store(data, key, await tree(key, bytes), { manager: 'npm', runtime: [] });
    const hit = await lookup(data, 'new');
    assert.ok(hit && hit.meta.bytes >= 4000);
    assert.equal(await lookup(data, 'absent'), undefined);
    const now = Date.now();
    const at = (key: string, ageMs: number) => utimes(path.join(data, 'deps', key, 'meta.json'), new Date(now - ageMs), new Date(now - ageMs));
    await at('old', 10 * 86_400_000);
    await at('mid', 60_000);
    await at('new', 1_000);
    await mkdir(path.join(data, 'deps', '.tmp-crashed'));
    await utimes(path.join(data, 'deps', '.tmp-crashed'), new Date(now - 2 * 86_400_000), new Date(now - 2 * 86_400_000));
    const result = await prune(data, { maxBytes: 6 * 1024 * 1024, maxAgeMs: 7 * 86_400_000 }, now);
    assert.deepEqual(result.removed, ['old']);
    assert.deepEqual((await readdir(path.join(data, 'deps'))).sort(), ['mid', 'new']);
    // Too small for both: the least recently used goes.
    const smaller = await prune(data, { maxBytes: 12_000, maxAgeMs: 7 * 86_400_000 }, now);
    assert.deepEqual(smaller.removed, ['mid']);
    assert.deepEqual(await readdir(path.join(data, 'deps')), ['new']);
  });
});

describe('fetch plans', () => {
  const scratch = '/data/deps/.tmp-x';
  it('npm: ignore-scripts, private HOME and cache, credentials only in the private .npmrc and only for allowed registries', () => {
    const plan = fetchPlan({
      manager: 'npm',
      lockfile: 'package-lock.json',
      registries: ['https://npm.example.com/repo/'],
      credentials: { 'https://npm.example.com/repo/': 'tok-allowed', 'https://other.example/': 'tok-other' },
      scratch,
      workspaceDir: '/ws',
    });
    assert.deepEqual(plan.argv.slice(0, 3), ['npm', 'ci', '--ignore-scripts']);
    assert.equal(plan.env['npm_config_ignore_scripts'], 'true');
    assert.equal(plan.env['npm_config_registry'], 'https://npm.example.com/repo/');
    assert.ok(plan.env['npm_config_cache']?.startsWith(scratch));
    assert.equal(plan.homeFiles['.npmrc'], '//npm.example.com/repo/:_authToken=tok-allowed\n');
    const visible = JSON.stringify([plan.argv, plan.env]);
    assert.doesNotMatch(visible, /tok-/);
    assert.deepEqual(plan.secrets, ['tok-allowed']);
  });

  it('pip: wheels only, no deps, a target directory, hashes when pinned, wheel directories as find-links, basic auth in .netrc', () => {
    const plan = fetchPlan({
      manager: 'pip',
      lockfile: 'requirements.txt',
      registries: ['https://pypi.example.com/simple/', './wheels'],
      credentials: { 'https://pypi.example.com/simple/': 'alice:pw-1234' },
      scratch,
      workspaceDir: '/ws',
      hashed: true,
    });
    for (const flag of ['--no-deps', '--only-binary', ':all:', '--require-hashes', '--target']) assert.ok(plan.argv.includes(flag), flag);
    assert.deepEqual(plan.argv.slice(plan.argv.indexOf('--index-url'), plan.argv.indexOf('--index-url') + 2), ['--index-url', 'https://pypi.example.com/simple/']);
    assert.ok(plan.argv.includes('/ws/wheels'));
    assert.equal(plan.env['PIP_CONFIG_FILE'], '/dev/null');
    assert.equal(plan.homeFiles['.netrc'], 'machine pypi.example.com login alice password pw-1234\n');
    assert.doesNotMatch(JSON.stringify([plan.argv, plan.env]), /pw-1234/);
  });
});
