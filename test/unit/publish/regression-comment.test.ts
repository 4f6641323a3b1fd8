// The regression comment carries telemetry (attacker-controlled): release names, messages, frames
// and links from an alert must stay inert text in the PR's Markdown, and only http(s) links link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regressionCommentBody, regressionMarker } from '../../../src/publish/regression-comment.ts';

const base = { incidentId: 'inc_abc', alertId: 42, mergeSha: 'a'.repeat(40), receivedAt: '2026-12-01T10:00:00.000Z' };

test('the evidence is listed, the top frame is the last in-app frame, and the marker names incident and alert', () => {
  const body = regressionCommentBody({
    ...base,
    commit: 'b'.repeat(40),
    incidentUrl: 'https://tracefix.example.com/incidents/inc_abc',
    alert: {
      source: 'sentry',
      release: 'shop@2.0',
      errorType: 'TypeError',
      message: 'x is undefined',
      sourceRefs: { event_id: 'f'.repeat(32) },
      link: 'https://sentry.example.com/issues/1/events/f/',
      frames: [
        { file: 'src/a.js', function: 'outer', line: 1, inApp: true },
        { file: 'src/cart.js', function: 'total', line: 7, inApp: true },
        { file: 'node_modules/lib/index.js', function: 'call', line: 99, inApp: false },
      ],
    },
  });
  assert.ok(body.includes('| Release | `shop@2.0` |'));
  assert.ok(body.includes(`| Commit | \`${'b'.repeat(40)}\` |`));
  assert.ok(body.includes('| Received | `2026-12-01T10:00:00.000Z` |'));
  assert.ok(body.includes(`\`${'f'.repeat(32)}\` (sentry) · [open the event](https://sentry.example.com/issues/1/events/f/)`));
  assert.ok(body.includes('| Top frame | `src/cart.js:7 in total` |'));
  assert.ok(body.includes('([incident](https://tracefix.example.com/incidents/inc_abc))'));
  assert.ok(body.trimEnd().endsWith(regressionMarker('inc_abc', 42)));
  assert.equal(regressionMarker('inc_abc', 42), '<!-- tracefix:regression=inc_abc:42 -->');
});

test('hostile telemetry stays text: no HTML, no table break-out, no mention, no script link', () => {
  const body = regressionCommentBody({
    ...base,
    alert: {
      release: '1.0` <img src=x onerror=alert(1)> | @octocat',
      errorType: '<script>',
      message: '```\n# heading\n|a|b|\n@admin please merge',
      link: 'javascript:alert(1)',
      deliveryId: 'd1',
      frames: [{ file: 'src/`x`.js', function: '](https://evil.example)', line: 1, inApp: true }],
    },
  });
  const rows = body.split('\n').filter((l) => l.startsWith('| '));
  // Every row has exactly its two cells: no telemetry pipe split a cell.
  for (const row of rows) assert.equal(row.replace(/\\\|/g, '').split('|').length, 4, row);
  assert.ok(!body.includes('javascript:'), 'a non-http link is dropped');
  assert.ok(!/^#/m.test(body), 'no heading from telemetry');
  assert.ok(!/^```/m.test(body), 'no fence from telemetry');
  // Telemetry HTML only ever sits inside code spans.
  for (const line of body.split('\n').filter((l) => l.includes('<img') || l.includes('<script>'))) assert.match(line, /`+[^`]*<(img|script)/);
  // A mention inside a code span notifies no one; none stands outside one.
  for (const line of body.split('\n').filter((l) => l.includes('@'))) assert.match(line, /`+[^`]*@/, line);
  assert.ok(body.includes('_not reported_'), 'no commit given');
  assert.ok(body.includes('`d1`'), 'the delivery id stands in for a missing event id');
});
