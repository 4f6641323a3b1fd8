// The worker's Redis outage log, on a controlled clock: once when it goes, at most once per
// interval while it lasts, once when it is back; other errors rate-limited per message.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { isConnectionError, RedisOutageLog } from '../../../src/queue/outage-log.ts';

function setup() {
  let raw = '';
  let now = 0;
  const log = pino({ level: 'info' }, new Writable({ write: (c, _e, done) => { raw += c.toString(); done(); } }));
  const outage = new RedisOutageLog(log, { repeatMs: 60_000, now: () => now });
  return { outage, advance: (ms: number) => (now += ms), lines: () => raw.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

test('120 reconnect errors in 40 s are one line; a long outage repeats once a minute; recovery is one line', () => {
  const { outage, advance, lines } = setup();
  for (let i = 0; i < 120; i++) {
    outage.error(refused, 'assemble');
    advance(333);
  }
  assert.deepEqual(lines().map((l) => l.msg), ['Redis is unavailable; workers wait for it']);
  assert.ok(outage.down);
  advance(30_000);
  outage.error(refused, 'repair');
  assert.equal(lines().at(-1)?.msg, 'Redis is still unavailable');
  assert.equal(lines().at(-1)?.suppressed, 119);
  outage.recovered();
  outage.recovered(); // a second connection's 'ready' says nothing more
  const msgs = lines().map((l) => l.msg);
  assert.deepEqual(msgs, ['Redis is unavailable; workers wait for it', 'Redis is still unavailable', 'Redis is available again']);
  assert.ok(Number(lines().at(-1)?.downForMs) >= 69_000);
  assert.ok(!lines().some((l) => 'err' in l), 'no stack traces for an outage');
});

test('other worker errors keep their stack, each message at most once a minute', () => {
  const { outage, advance, lines } = setup();
  const bug = new Error('Missing lock for job 7');
  outage.error(bug, 'repair');
  outage.error(bug, 'repair');
  advance(61_000);
  outage.error(bug, 'repair');
  assert.equal(lines().length, 2);
  assert.ok(lines().every((l) => l.msg === 'Worker error' && typeof (l.err as { stack?: string }).stack === 'string'));
  assert.ok(!isConnectionError(bug));
  assert.ok(isConnectionError(new Error('Connection is closed.')));
});
