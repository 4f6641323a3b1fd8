// A worker that starts (after another one crashed, say) removes the sandbox containers whose owning
// process is gone, and leaves alone those it cannot judge: another pid namespace's (a worker in a
// container sharing this Docker socket and, with host networking, this host name).
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.ts';
import { MemoryTraceStore } from '../../../src/traces/memory-trace-store.ts';
import { startStageWorkers } from '../../../workers/main.ts';
import { pgliteDb } from '../../helpers/databases.ts';
import { containersLabelled, docker, dockerAvailability, NODE_IMAGE } from './helpers.ts';

const availability = await dockerAvailability();
const suiteLabel = randomUUID();
const ownNamespace = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? 'unknown';

async function sandboxOwnedBy(owner: string) {
  return docker.createContainer({
    Image: NODE_IMAGE,
    Cmd: ['true'],
    Labels: { 'org.tracefix.sandbox': '1', 'org.tracefix.owner': owner, 'org.tracefix.test': suiteLabel },
    HostConfig: { NetworkMode: 'none' },
  });
}

test('starting the stage workers sweeps the sandboxes of dead owners, and only those', { skip: availability.skip ?? false }, async (t) => {
  if (availability.problem) throw new Error(availability.problem);
  const host = os.hostname();
  // A pid that cannot be running (above pid_max), in this namespace and in another one.
  const dead = await sandboxOwnedBy(`${host}/${ownNamespace}/999999999/1`);
  const deadLegacy = await sandboxOwnedBy(`${host}/999999998/1`);
  const otherNamespace = await sandboxOwnedBy(`${host}/1/999999997/1`);
  t.after(async () => {
    for (const c of [dead, deadLegacy, otherNamespace]) await c.remove({ force: true }).catch(() => undefined);
  });

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-sweep-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const { db, drop } = await pgliteDb();
  t.after(drop);
  const config = loadConfig({ TRACEFIX_DATA_DIR: dataDir, TRACEFIX_SANDBOX_DRIVER: 'docker', TRACEFIX_QUEUE_PREFIX: `sweep-${randomBytes(4).toString('hex')}` });
  const workers = await startStageWorkers({ config, log: pino({ level: 'silent' }), db, traceStore: new MemoryTraceStore() });
  await workers.close();

  const left = (await containersLabelled(suiteLabel)).map((c) => c.Id);
  assert.ok(!left.includes(dead.id), "a dead owner's sandbox survived the worker's start");
  assert.ok(!left.includes(deadLegacy.id), "a dead owner's sandbox (token from before the namespace) survived");
  assert.ok(left.includes(otherNamespace.id), "another pid namespace's sandbox was removed: its owner may be alive");
});
