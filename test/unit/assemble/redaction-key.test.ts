// The service's redaction key: created once with 32 random bytes (mode 0600), then reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateRedactionKey } from '../../../src/assemble/redaction-key.ts';

test('created on first use, reused afterwards, private to the owner', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tracefix-key-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, 'data');
  const key = await loadOrCreateRedactionKey(dataDir);
  assert.equal(key.length, 32);
  assert.deepEqual(await loadOrCreateRedactionKey(dataDir), key);
  assert.equal((await stat(path.join(dataDir, 'redaction.key'))).mode & 0o777, 0o600);
  assert.deepEqual(await readdir(dataDir), ['redaction.key'], 'no temporary file left behind');
});

test('concurrent first use ends with one key for everyone', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tracefix-key-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateRedactionKey(dir)));
  for (const key of keys) assert.deepEqual(key, keys[0]);
});

test('a key file of the wrong size is an error, not silently replaced', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tracefix-key-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'redaction.key'), 'short');
  await assert.rejects(loadOrCreateRedactionKey(dir), /exactly 32 bytes/);
});
