// Syntax colours on the server: highlight.js output, accepted only in its known shape, with the code
// (attacker-influenced) always escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUnifiedDiff, diffView } from '../../../src/dashboard/pages/diff-view.ts';
import { highlightLine, languageOf } from '../../../src/dashboard/pages/syntax.ts';

const HOSTILE = `<img src=x onerror="alert(1)"></script><script>alert(2)</script><span class="hljs-x">`;

test('languages come from the file extension; others are left plain', () => {
  assert.equal(languageOf('src/cart.js'), 'javascript');
  assert.equal(languageOf('a/b.MTS'), 'typescript');
  assert.equal(languageOf('app/models.py'), 'python');
  assert.equal(languageOf('Makefile'), undefined);
  assert.equal(highlightLine('if (x) return 0;', undefined).value, 'if (x) return 0;');
  assert.equal(highlightLine('<b>', undefined).value, '&lt;b&gt;');
});

test('code is coloured with highlight.js classes and hostile text stays text', () => {
  for (const [code, language] of [
    [`const s = "${HOSTILE}"; // ${HOSTILE}`, 'javascript'],
    [`x: str = f'{y}' + """${HOSTILE}""" # ${HOSTILE}`, 'python'],
    [`let t: Array<string> = [\`${HOSTILE}\`] as const;`, 'typescript'],
  ] as const) {
    const out = highlightLine(code, language).value;
    assert.match(out, /<span class="hljs-(keyword|string|comment|built_in|attr)">/, out);
    assert.ok(!/<(img|script)|<span class="hljs-x">/i.test(out), out);
    // The text content is the code, character for character.
    const text = out.replace(/<[^>]+>/g, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&amp;', '&');
    assert.equal(text, code);
  }
});

test('the diff colours code lines by their file and keeps headers and markers as text', () => {
  const diff = `diff --git a/src/cart.js b/src/cart.js\n--- a/src/cart.js\n+++ b/src/cart.js\n@@ -1,2 +1,2 @@\n-const a = 1;\n+const a = "${HOSTILE}";\n notes.txt\ndiff --git a/README <x> b/README <x>\n--- a/README <x>\n+++ b/README <x>\n@@ -1 +1 @@\n+const plain = 1;\n`;
  assert.equal(parseUnifiedDiff(diff).find((l) => l.kind === 'add')?.file, 'src/cart.js');
  const out = diffView(diff, 'patch').value;
  assert.match(out, /<span class="d-mark">\+<\/span><span class="hljs-keyword">const<\/span>/);
  assert.ok(!/<(img|script)/i.test(out));
  assert.match(out, /README &lt;x&gt;/);
  // A file we do not colour: the line is plain escaped text.
  assert.match(out, /<span class="d-mark">\+<\/span>const plain = 1;/);
});
