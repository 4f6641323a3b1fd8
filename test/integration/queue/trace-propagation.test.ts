// A trace of tracefix itself follows one incident: the webhook's intake span → the outbox row →
// the assemble job's traceparent → a stage's span (continueTrace) → the next job's traceparent.
// Real Postgres-compatible store (PGlite), real Redis queues, the real OpenTelemetry SDK with an
// in-memory exporter.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';
import { pino } from 'pino';
import { createProducerConnection } from '../../../src/queue/connection.ts';
import { continueTrace, enqueue, parseJob } from '../../../src/queue/enqueue.ts';
import { OutboxDispatcher } from '../../../src/queue/outbox-dispatcher.ts';
import { createQueues, type Queues } from '../../../src/queue/producers.ts';
import { instrument } from '../../../src/telemetry.ts';
import { buildTestApp, sentryHeaders, type TestApp } from '../../helpers/app.ts';

const body = readFileSync(new URL('../../fixtures/sentry/integration-event-alert-triggered.json', import.meta.url));
const exporter = new tracing.InMemorySpanExporter();
// The provider the SDK starts in the service (with its async context manager), exporting to memory.
const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
let app: TestApp;
let queues: Queues;
let redis: ReturnType<typeof createProducerConnection>;

before(async () => {
  provider.register();
  app = await buildTestApp();
  redis = createProducerConnection('redis://127.0.0.1:6379');
  queues = createQueues(redis, `test-trace-${randomBytes(4).toString('hex')}`);
});

after(async () => {
  await Promise.all(Object.values(queues).filter((q) => typeof q === 'object' && 'obliterate' in q).map((q) => (q as Queues['assemble']).obliterate({ force: true })));
  await queues.close();
  redis.disconnect();
  await app.close();
  await provider.shutdown();
  trace.disable();
});

test('one trace follows an incident from the webhook through the outbox into every stage job', async () => {
  const response = await app.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: sentryHeaders(body, 'event_alert', `trace-${randomBytes(4).toString('hex')}`) });
  assert.equal(response.statusCode, 202, response.body);
  const { incidentId } = response.json() as { incidentId: string };
  const intake = exporter.getFinishedSpans().find((s) => s.name === 'intake.sentry');
  assert.ok(intake, 'the webhook was handled in an intake span');

  const dispatcher = new OutboxDispatcher({ db: app.testDb.db, queues, log: pino({ level: 'silent' }), intervalMs: 1000 });
  for (let i = 0; i < 50 && !queues.ready(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(await dispatcher.drainOnce(), 1);
  const job = await queues.assemble.getJob(incidentId);
  assert.ok(job, 'the assemble job was enqueued under the incident id');
  const data = parseJob('assemble', job);
  assert.equal(data.traceparent, `00-${intake.spanContext().traceId}-${intake.spanContext().spanId}-01`);

  // A stage continues that trace, and the job it starts carries the stage's span as parent.
  await continueTrace(data, () => instrument('stage.assemble', {}, () => enqueue(queues, 'reproduce', { incidentId }, { jobId: `${incidentId}-next` })));
  const stage = exporter.getFinishedSpans().find((s) => s.name === 'stage.assemble');
  assert.ok(stage);
  assert.equal(stage.spanContext().traceId, intake.spanContext().traceId, 'the stage span is in the intake trace');
  const next = parseJob('reproduce', (await queues.reproduce.getJob(`${incidentId}-next`))!);
  assert.equal(next.traceparent, `00-${intake.spanContext().traceId}-${stage.spanContext().spanId}-01`);
});

test('enqueue refuses data its queue schema does not accept, before anything reaches Redis', async () => {
  await assert.rejects(enqueue(queues, 'repair', { incidentId: 'inc-1' } as never, { jobId: 'bad-repair' }), /runId/);
  assert.equal(await queues.repair.getJob('bad-repair'), undefined);
});
