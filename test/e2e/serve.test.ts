// `tracefix serve` on its embedded defaults, as a user runs it: a real process, real HTTP, PGlite
// in a fresh data dir, and a Redis that is down when the alerts arrive and comes back later.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SECRETS, sentryHeaders } from '../helpers/app.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { freePort, PrivateRedis } from '../helpers/redis-server.ts';

const fixture = (p: string) => fs.readFile(new URL(`../fixtures/${p}`, import.meta.url));

test('serve accepts signed alerts while Redis is down and enqueues each exactly once when it is back', async (t) => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tracefix-e2e-'));
  t.after(() => fs.rm(dataDir, { recursive: true, force: true }));
  const redisServer = new PrivateRedis(await freePort());
  t.after(() => redisServer.stop());
  const port = await freePort();
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const cli = startCli(['serve'], {
    PORT: String(port),
    TRACEFIX_DATA_DIR: dataDir,
    REDIS_URL: redisServer.url,
    TRACEFIX_QUEUE_PREFIX: prefix,
    TRACEFIX_OUTBOX_INTERVAL_MS: '100',
    TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET,
  });
  t.after(() => cli.child.kill('SIGKILL'));
  await cli.waitFor(/tracefix is serving/);
  const base = `http://127.0.0.1:${port}`;

  const health = await fetch(`${base}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', detail: { redis: 'down' } });
  // Ready means "can accept and store deliveries": the database. Redis down is reported, not unready.
  const ready = await fetch(`${base}/readyz`);
  assert.equal(ready.status, 200);
  const readyBody = (await ready.json()) as Record<string, unknown>;
  assert.equal(readyBody.status, 'ok');
  assert.equal(readyBody.database, 'ok');
  assert.equal(readyBody.redis, 'down');
  assert.match(String(readyBody.note), /kept in the outbox/);

  // Three different failures and one repeat, with Redis down.
  const event = JSON.parse((await fixture('sentry/integration-event-alert-triggered.json')).toString('utf8'));
  const incidentIds = new Set<string>();
  for (const type of ['ReferenceError', 'TypeError', 'RangeError', 'TypeError']) {
    event.data.event.exception.values.at(-1).type = type;
    const body = Buffer.from(JSON.stringify(event));
    const started = performance.now();
    const res = await fetch(`${base}/webhooks/sentry`, {
      method: 'POST',
      body,
      headers: sentryHeaders(body, 'event_alert', randomBytes(16).toString('hex')),
    });
    assert.equal(res.status, 202);
    assert.ok(performance.now() - started < 1000, 'answered within Sentry’s 1 s deadline');
    incidentIds.add(((await res.json()) as { incidentId: string }).incidentId);
  }
  assert.equal(incidentIds.size, 3);

  await redisServer.start();
  const connection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  t.after(() => connection.disconnect());
  const queue = new Queue('assemble', { connection, prefix });
  t.after(() => queue.close());
  let ids: string[] = [];
  for (let i = 0; i < 100 && ids.length < 3; i++) {
    await new Promise((r) => setTimeout(r, 200));
    ids = (await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).map((j) => j.id!);
  }
  assert.deepEqual(ids.sort(), [...incidentIds].sort());
  // Give the dispatcher a few more polls: nothing is enqueued twice. (The inline assemble worker
  // may already have completed the jobs, so count them in every state.)
  await new Promise((r) => setTimeout(r, 600));
  const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), 3, JSON.stringify(counts));
  const readyNow = await fetch(`${base}/readyz`);
  assert.equal(readyNow.status, 200);
  assert.deepEqual(await readyNow.json(), { status: 'ok', database: 'ok', redis: 'ok' });
  assert.match(cli.output(), /Queue prefix registered to this database/, 'registered once Redis came back');

  // On the embedded defaults with no TRACEFIX_DASHBOARD_TOKEN, serve generated one into the data dir
  // and printed its sign-in link once; the API refuses a caller without it.
  const token = (await fs.readFile(path.join(dataDir, 'dashboard-token'), 'utf8')).trim();
  assert.equal(cli.output().split(`/login#token=${token}`).length, 2, 'the sign-in link is printed once');
  assert.equal((await fs.stat(path.join(dataDir, 'dashboard-token'))).mode & 0o777, 0o600);
  assert.equal((await fetch(`${base}/api/incidents`)).status, 401);
  assert.equal((await fetch(`${base}/`, { redirect: 'manual', headers: { accept: 'text/html' } })).status, 303);
  const list = (await (await fetch(`${base}/api/incidents`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { alertCount: number }[] };
  assert.deepEqual(list.items.map((i) => i.alertCount).sort(), [1, 1, 2]);

  cli.child.kill('SIGTERM');
  assert.equal(await cli.exited, 0);
  assert.match(cli.output(), /Shutting down/);
  assert.ok(!cli.output().includes(SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET));
});

test('a bad configuration value stops startup with a message naming the variable (exit 2)', async () => {
  const { code, output } = await runCli(['serve'], { PORT: 'eighty', REDIS_URL: 'http://nope' });
  assert.equal(code, 2);
  assert.match(output, /PORT/);
  assert.match(output, /REDIS_URL/);
});

test('an unknown command prints the usage and exits 2', async () => {
  const { code, output } = await runCli(['frobnicate'], {});
  assert.equal(code, 2);
  assert.match(output, /unknown command 'frobnicate'/);
  assert.match(output, /serve/);
});

test('with OTEL_EXPORTER_OTLP_ENDPOINT set, tracefix exports its own spans there', async (t) => {
  const { createServer } = await import('node:http');
  const received: { path: string; body: string }[] = [];
  const collector = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d.toString('latin1')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  t.after(() => collector.close());
  const collectorPort = (collector.address() as { port: number }).port;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tracefix-otel-'));
  t.after(() => fs.rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const cli = startCli(['serve'], {
    PORT: String(port),
    TRACEFIX_DATA_DIR: dataDir,
    REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
  });
  t.after(() => cli.child.kill('SIGKILL'));
  await cli.waitFor(/tracefix is serving/);
  const body = await fixture('sentry/integration-event-alert-triggered.json');
  const res = await fetch(`http://127.0.0.1:${port}/webhooks/sentry`, {
    method: 'POST',
    body,
    headers: sentryHeaders(body, 'event_alert', randomBytes(16).toString('hex')),
  });
  assert.equal(res.status, 202);
  cli.child.kill('SIGTERM');
  assert.equal(await cli.exited, 0);
  const traces = received.filter((r) => r.path === '/v1/traces');
  assert.ok(traces.length > 0, 'spans were exported on shutdown');
  assert.ok(traces.some((r) => r.body.includes('intake.sentry')), 'the intake span is among them');
});
