// The bundle contract: untrusted text is marked in the generated JSON Schema, the committed
// schema file is current, canonical JSON is stable and its sha256 is the stored hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Bundle, bundleUntrustedPaths } from '../../../schemas/bundle.ts';
import { generateJsonSchemas } from '../../../schemas/generate.ts';
import { untrusted, untrustedPaths } from '../../../schemas/untrusted.ts';
import { canonicalJson, sha256Hex } from '../../../src/assemble/canonical.ts';
import { assemble, KEY, log, ns, options, pythonAlert, span, spanId, T0_MS, TRACE_ID } from './helpers.ts';

test('untrusted text is marked (and capped) in the generated JSON Schema', () => {
  const json = z.toJSONSchema(Bundle) as { properties: Record<string, { properties: Record<string, Record<string, unknown>> }> };
  const message = json.properties.exception?.properties.message;
  assert.equal(message?.untrusted, true);
  assert.equal(message?.maxLength, 8192);
  assert.match(String(message?.description), /delimited data/);
  assert.equal(json.properties.incident?.properties.id?.untrusted, undefined, 'ids are not free text');
});

test('bundleUntrustedPaths lists every free-text field a prompt builder must delimit', () => {
  const paths = bundleUntrustedPaths();
  for (const expected of [
    'incident.title', 'exception.message', 'exception.frames[].contextLine', 'exception.frames[].preContext[]',
    'exception.frames[].locals.*', 'exception.frames[].locals.<key>', 'exception.frames[].locals.*[].**', 'exception.causes[].message',
    'trace.errorSpan.attributes.*', 'trace.errorSpan.statusMessage', 'trace.ancestors[].name', 'logs.entries[].body',
    'logs.entries[].template', 'repro.request.headers.*', 'repro.request.userAgent', 'repro.request.body', 'repo.url', 'incident.links[]',
  ]) {
    assert.ok(paths.includes(expected), `missing ${expected}`);
  }
  for (const structural of ['incident.id', 'trace.traceId', 'trace.errorSpan.spanId', 'budget.tokensAfter', 'redaction.counts.*']) {
    assert.ok(!paths.includes(structural), `${structural} is not free text`);
  }
  // The helper works on any schema.
  assert.deepEqual(untrustedPaths(z.object({ a: untrusted(5), b: z.array(z.object({ c: untrusted(5) })), d: z.number() })), ['a', 'b[].c']);
});

test('schemas/bundle.schema.json is what generate.ts produces (run `node schemas/generate.ts`)', async () => {
  const generated = await generateJsonSchemas();
  const bundle = generated.find((g) => g.name === 'bundle');
  assert.ok(bundle, 'bundle.ts exports CONTRACTS.bundle');
  assert.ok((await readFile(bundle.file, 'utf8')) === bundle.content, 'schemas/bundle.schema.json is stale: run node schemas/generate.ts');
  const parsed = JSON.parse(bundle.content) as { $id: string; $defs: Record<string, unknown> };
  assert.equal(parsed.$id, 'https://tracefix.dev/schemas/bundle.schema.json');
  assert.ok(parsed.$defs.LocalValue, 'recursive locals are a named definition');
});

test('canonical JSON: sorted keys, no whitespace, independent of insertion order', () => {
  const a = canonicalJson({ b: 1, a: [{ z: true, y: null }, 'x'], c: undefined, é: 'ü', A: 2 });
  assert.equal(a, '{"A":2,"a":[{"y":null,"z":true},"x"],"b":1,"é":"ü"}');
  assert.equal(canonicalJson({ A: 2, é: 'ü', b: 1, a: [{ y: null, z: true }, 'x'] }), a);
  assert.equal(sha256Hex(a), createHash('sha256').update(Buffer.from(a, 'utf8')).digest('hex'));
  assert.throws(() => canonicalJson({ n: Number.NaN }));
});

test('the same inputs give the same bytes and hash, whatever order spans and logs arrive in', async () => {
  const root = spanId();
  const err = spanId();
  const spans = [
    span({ spanId: root, kind: 2, attributes: { 'http.route': '/x', 'http.request.method': 'GET' } }),
    span({ spanId: err, parentSpanId: root, statusCode: 2, events: [{ name: 'exception', timeUnixNano: ns(T0_MS), attributes: {} }] }),
    ...Array.from({ length: 20 }, (_, i) => span({ spanId: spanId(), parentSpanId: i % 2 ? root : err, name: `s${i % 3}`, startTimeUnixNano: ns(T0_MS + i) })),
  ];
  const logs = Array.from({ length: 40 }, (_, i) => log({ body: `tick ${i} user${i % 3}@example.com`, traceId: i % 2 ? TRACE_ID : undefined, timeUnixNano: ns(T0_MS + i * 10) }));
  const alerts = [pythonAlert({ traceId: TRACE_ID })];
  const first = await assemble({ alerts, spans, logs });
  const second = await assemble({ alerts, spans: [...spans].reverse(), logs: [...logs].reverse() });
  assert.equal(second.canonicalJson, first.canonicalJson);
  assert.equal(second.sha256, first.sha256);
  assert.equal(first.sha256, sha256Hex(first.canonicalJson));
  assert.equal(first.canonicalJson, canonicalJson(first.bundle));
  assert.ok(!/\s"|":\s|,\s"/.test(first.canonicalJson.replaceAll(/"(?:[^"\\]|\\.)*"/g, '""')), 'no whitespace between tokens');
  // A different key: same shape, different pseudonyms, different hash.
  const otherKey = await assemble({ alerts, spans, logs, options: options({ redaction: { key: Buffer.alloc(32, 9) } }) });
  assert.notEqual(otherKey.sha256, first.sha256);
  assert.equal(KEY.length, 32);
});
