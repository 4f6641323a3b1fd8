import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WriteBatcher } from '../../../src/traces/write-batcher.ts';

function recorder(options: { failOn?: number; delayMs?: number } = {}) {
  const writes: number[][] = [];
  const write = async (rows: number[]) => {
    if (options.delayMs) await sleep(options.delayMs);
    if (options.failOn !== undefined && rows.includes(options.failOn)) throw new Error(`cannot write ${options.failOn}`);
    writes.push(rows);
  };
  return { writes, write };
}

test('rows added in the same turn of the event loop go in one write', async () => {
  const { writes, write } = recorder();
  const batcher = new WriteBatcher(write, { batchSize: 100 });
  await Promise.all([batcher.add([1, 2]), batcher.add([3]), batcher.add([4, 5])]);
  assert.deepEqual(writes, [[1, 2, 3, 4, 5]]);
});

test('rows added during a write go together in the next one', async () => {
  // The first write blocks until released, so "during a write" holds however loaded the machine is.
  const writes: number[][] = [];
  let started!: () => void;
  const firstStarted = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const batcher = new WriteBatcher(
    async (rows: number[]) => {
      if (writes.length === 0 && rows.includes(1)) {
        started();
        await gate;
      }
      writes.push(rows);
    },
    { batchSize: 100 },
  );
  const first = batcher.add([1]);
  await firstStarted;
  const later = [batcher.add([2]), batcher.add([3])];
  release();
  await Promise.all([first, ...later]);
  assert.deepEqual(writes, [[1], [2, 3]]);
});

test('a flush larger than batchSize is written in chunks', async () => {
  const { writes, write } = recorder();
  const batcher = new WriteBatcher(write, { batchSize: 2 });
  await batcher.add([1, 2, 3, 4, 5]);
  assert.deepEqual(writes, [[1, 2], [3, 4], [5]]);
});

test('a writer that adds right after its rows were written is never stranded', async () => {
  const { writes, write } = recorder();
  const batcher = new WriteBatcher(write, { batchSize: 1000 });
  for (let i = 0; i < 200; i++) await batcher.add([i]);
  assert.equal(writes.flat().length, 200);
});

test('a failed write rejects its writers only; later rows still go', async () => {
  const { writes, write } = recorder({ failOn: 13 });
  const batcher = new WriteBatcher(write, { batchSize: 100 });
  const results = await Promise.allSettled([batcher.add([12]), batcher.add([13])]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  await batcher.add([14]);
  assert.deepEqual(writes, [[14]]);
});

test('flush() writes what is pending and waits for it; intervalMs delays an idle flush', async () => {
  const { writes, write } = recorder();
  const batcher = new WriteBatcher(write, { batchSize: 100, intervalMs: 10_000 });
  const added = batcher.add([1]);
  assert.equal(batcher.pending, 1);
  await batcher.flush();
  await added;
  assert.deepEqual(writes, [[1]]);
  assert.equal(batcher.pending, 0);
});
