import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commentableLines, patchSuggestions } from '../../../src/action/suggestions.ts';

const PATCH = [
  'diff --git a/src/cart.js b/src/cart.js',
  '--- a/src/cart.js',
  '+++ b/src/cart.js',
  '@@ -12,7 +12,7 @@',
  ' ',
  ' function applyCoupon(total, code) {',
  '   const coupon = findCoupon(code);',
  '-  return total - total * coupon.rate;',
  '+  return total - total * (coupon?.rate ?? 0);',
  ' }',
  ' ',
  ' function checkout(cart) {',
  '@@ -30,6 +30,8 @@',
  ' function total(items) {',
  '   let sum = 0;',
  '+  if (!items) return 0;',
  '+  // guard',
  '   for (const i of items) sum += i;',
  '   return sum;',
  ' }',
  '',
].join('\n');

test('each changed run of head lines becomes one suggestion on those lines', () => {
  const lines = commentableLines([{ filename: 'src/cart.js', patch: '@@ -10,8 +10,10 @@ x\n@@ -28,5 +28,9 @@ y' }]);
  const { comments, elsewhere } = patchSuggestions(PATCH, lines);
  assert.deepEqual(elsewhere, []);
  assert.equal(comments.length, 2);
  assert.deepEqual({ ...comments[0], body: undefined }, { path: 'src/cart.js', line: 15, body: undefined });
  assert.equal(comments[0]!.body, 'tracefix suggests:\n\n```suggestion\n  return total - total * (coupon?.rate ?? 0);\n```\n');
  // A pure insertion repeats the line it follows: a suggestion replaces lines, it cannot insert.
  assert.equal(comments[1]!.line, 31);
  assert.equal(comments[1]!.startLine, undefined);
  assert.equal(comments[1]!.body, 'tracefix suggests:\n\n```suggestion\n  let sum = 0;\n  if (!items) return 0;\n  // guard\n```\n');
});

test('changes outside the pull request diff go to the review body instead', () => {
  const lines = commentableLines([{ filename: 'src/cart.js', patch: '@@ -10,8 +10,10 @@ x' }, { filename: 'README.md' }]);
  const { comments, elsewhere } = patchSuggestions(PATCH, lines);
  assert.equal(comments.length, 1);
  assert.equal(comments[0]!.line, 15);
  assert.equal(elsewhere.length, 1);
  assert.match(elsewhere[0]!, /^diff --git a\/src\/cart\.js/);
  assert.deepEqual(patchSuggestions(PATCH, new Map()).comments, []);
});

test('a multi-line replacement spans start_line..line, and a suggestion holding backticks stays fenced', () => {
  const patch = ['diff --git a/a.js b/a.js', '--- a/a.js', '+++ b/a.js', '@@ -1,3 +1,2 @@', '-const a = `x`;', '-const b = 1;', '+const a = ```;', ' end();', ''].join('\n');
  const { comments } = patchSuggestions(patch, commentableLines([{ filename: 'a.js', patch: '@@ -1,3 +1,3 @@' }]));
  assert.equal(comments.length, 1);
  assert.equal(comments[0]!.startLine, 1);
  assert.equal(comments[0]!.line, 2);
  assert.equal(comments[0]!.body, 'tracefix suggests:\n\n````suggestion\nconst a = ```;\n````\n');
});
