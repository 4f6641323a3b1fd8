import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { html, safeHref, trustedHtml } from '../../../src/dashboard/html.ts';
import { parseUnifiedDiff } from '../../../src/dashboard/pages/diff-view.ts';
import { sseMessage } from '../../../src/dashboard/live.ts';
import { safeNext } from '../../../src/dashboard/auth.ts';

test('interpolated strings are escaped in text and attribute positions; fragments nest', () => {
  const evil = `"><img src=x onerror=alert(1)>'</script>&`;
  assert.equal(html`<td title="${evil}">${evil}</td>`.value, '<td title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&lt;/script&gt;&amp;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&lt;/script&gt;&amp;</td>');
  assert.equal(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.value, '<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>');
  assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
  assert.equal(html`${trustedHtml('<br>')}`.value, '<br>');
});

test('no string, however built, gets a tag or a quote through', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const out = html`<p title="${s}">${s}</p>`.value.slice('<p title="'.length, -'</p>'.length);
      assert.doesNotMatch(out.replace('">', ''), /[<>"']/);
    }),
  );
});

test('only http(s) and same-site paths are links', () => {
  assert.equal(safeHref('javascript:alert(1)'), undefined);
  assert.equal(safeHref(' javascript:alert(1)'), undefined);
  assert.equal(safeHref('data:text/html,<script>'), undefined);
  assert.equal(safeHref('//evil.example/x'), undefined);
  assert.equal(safeHref('/incidents/x'), '/incidents/x');
  assert.equal(safeHref('https://github.com/a/b/pull/1'), 'https://github.com/a/b/pull/1');
});

test('sign-in redirects stay on the site', () => {
  for (const bad of ['//evil', '/\\evil', 'https://evil', 'evil', '/login?next=/', '', undefined, 42]) assert.equal(safeNext(bad), '/');
  assert.equal(safeNext('/incidents/inc_1?run=r'), '/incidents/inc_1?run=r');
});

test('an SSE message keeps multi-line data inside one event', () => {
  assert.equal(sseMessage('row-x', '<tr>\n<td>a</td>\r\n</tr>'), 'event: row-x\ndata: <tr>\ndata: <td>a</td>\ndata: </tr>\n\n');
});

test('unified diff lines carry old and new line numbers', () => {
  const lines = parseUnifiedDiff('diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -3,2 +3,3 @@\n a\n-b\n+c\n+d\n');
  assert.deepEqual(
    lines.map((l) => [l.kind, l.oldNo ?? null, l.newNo ?? null]),
    [['file', null, null], ['file', null, null], ['file', null, null], ['hunk', null, null], ['ctx', 3, 3], ['del', 4, null], ['add', null, 4], ['add', null, 5]],
  );
});
