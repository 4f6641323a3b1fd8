// Collapsing repeated log lines into templates: masks, counts, first/last time, the sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapseLogs, severityName, templateOf } from '../../../src/assemble/collapse.ts';
import { assemble, log, ns, pythonAlert, T0_MS, TRACE_ID } from './helpers.ts';

test('templates mask numbers, ids, hex, uuids, emails, times and quoted text', () => {
  const cases: [string, string][] = [
    ['retrying job 41 after 200ms', 'retrying job <num> after <num>ms'],
    ['user 7f3a9c2e1b4d loaded cart 0x1F', 'user <hex> loaded cart <hex>'],
    ['request 123e4567-e89b-12d3-a456-426614174000 done', 'request <uuid> done'],
    ['mail to alice@example.com failed', 'mail to <email> failed'],
    ['at 2025-07-01T12:03:00.123Z tick', 'at <time> tick'],
    ["KeyError: 'u_42' in \"cart\"", 'KeyError: <str> in <str>'],
    ["can't connect to 10.0.0.12:5432", "can't connect to <num>"],
    ['price 1,234.56 EUR, -3 items, user42 ok', 'price <num> EUR, <num> items, user42 ok'],
    ['healthcheck ok', 'healthcheck ok'],
  ];
  for (const [input, expected] of cases) assert.equal(templateOf(input), expected, input);
});

test('collapseLogs groups by severity, service and template; counts, first/last, nearest sample', () => {
  const error = T0_MS;
  const records = [
    log({ body: 'cache miss key=1', timeUnixNano: ns(error - 3000) }),
    log({ body: 'cache miss key=2', timeUnixNano: ns(error - 100) }),
    log({ body: 'cache miss key=3', timeUnixNano: ns(error + 5000) }),
    log({ body: 'cache miss key=4', timeUnixNano: ns(error - 100), severityNumber: 17 }), // another severity
    log({ body: 'cache miss key=5', timeUnixNano: ns(error), service: 'other', resource: { 'service.name': 'other' } }),
  ];
  const groups = collapseLogs(records, error);
  assert.equal(groups.length, 3);
  const info = groups.find((g) => g.count === 3);
  assert.ok(info);
  assert.equal(info.template, 'cache miss key=<num>');
  assert.equal(info.sample.body, 'cache miss key=2', 'closest to the error');
  assert.equal(info.firstNs, ns(error - 3000));
  assert.equal(info.lastNs, ns(error + 5000));
  // Order does not change the result.
  const again = collapseLogs([...records].reverse(), error);
  assert.deepEqual(again.map((g) => [g.template, g.count, g.sample.body]), groups.map((g) => [g.template, g.count, g.sample.body]));
  assert.equal(severityName({ severityNumber: 17 }), 'ERROR');
  assert.equal(severityName({ severityNumber: 9, severityText: 'info' }), 'info');
});

test('in a bundle: a 1,322-line retry loop becomes one entry with its count and time span', async () => {
  const logs = Array.from({ length: 1322 }, (_, i) =>
    log({ traceId: TRACE_ID, body: `retrying request ${1000 + i} after ${i % 7}ms`, timeUnixNano: ns(T0_MS - 1322 + i) }),
  );
  logs.push(log({ traceId: TRACE_ID, body: 'giving up', severityNumber: 17, timeUnixNano: ns(T0_MS) }));
  const { bundle } = await assemble({ alerts: [pythonAlert({ traceId: TRACE_ID })], logs });
  assert.deepEqual(bundle.logs.entries.map((e) => [e.count, e.template ?? e.body]), [
    [1322, 'retrying request <num> after <num>ms'],
    [1, 'giving up'],
  ]);
  const loop = bundle.logs.entries[0];
  assert.equal(loop?.body, 'retrying request 2321 after 5ms');
  assert.equal(loop?.firstTime, '2025-07-01T12:02:58.678000000Z');
  assert.equal(loop?.lastTime, '2025-07-01T12:02:59.999000000Z');
  assert.equal(bundle.logs.traceRecords, 1323);
  assert.equal(bundle.logs.recordsOmitted, 0);
});
