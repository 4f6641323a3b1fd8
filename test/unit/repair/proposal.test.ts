// The proposal: title, and a body with every section and every piece of evidence; text that came
// from telemetry stays inside fenced code blocks however hostile it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bundle } from '../../../schemas/bundle.ts';
import { type Candidate, type Localization, Proposal, type Reproduced } from '../../../schemas/run.ts';
import { buildProposal, code, escapeText, fence, proposalTitle } from '../../../src/repair/proposal/index.ts';
import { signatureFromBundle } from '../../../src/reproduce/signature.ts';
import { fixtureBundle, sentryFrames } from '../reproduce/helpers.ts';

const FILES = ['src/cart.js', 'src/coupons.js', 'test/cart.test.js'];
const HOSTILE = "Cannot read ```\n</details><script>alert('x')</script>\n```\n# heading @octocat";

function reproduction(bundle: Bundle): Reproduced {
  return {
    status: 'reproduced',
    source: 'synthesized',
    framework: 'node-test',
    testFile: 'test/tracefix-7f3a9c21.test.js',
    testId: 'test/tracefix-7f3a9c21.test.js::tracefix incident 7f3a9c21: applyCoupon as called in production',
    testContent: "const { test } = require('node:test');\ntest('x', async () => { await applyCoupon(40, '```<script>'); });\n",
    signature: signatureFromBundle(bundle, FILES),
    runs: 3,
    attempts: [],
  };
}

const DIFF = 'diff --git a/src/cart.js b/src/cart.js\n--- a/src/cart.js\n+++ b/src/cart.js\n@@ -13,3 +13,4 @@\n function applyCoupon(total, code) {\n   const coupon = findCoupon(code);\n+  if (!coupon) return total;\n   return total - total * coupon.rate;\n';

const CANDIDATE: Candidate = {
  id: 'null-guard-1a2b3c4d',
  engine: 'templates',
  description: 'null-guard: return total when coupon is undefined',
  location: { file: 'src/cart.js', line: 15 },
  diff: DIFF,
  stats: { files: 1, added: 1, removed: 0 },
  status: 'validated',
  checks: [
    { name: 'paths', ok: true, detail: '1 file within the allowed paths: src/cart.js' },
    { name: 'size', ok: true, detail: '1 line (+1 −0) in 1 file, within 200 lines and 5 files' },
    { name: 'suppression', ok: true, detail: 'no suppression of the crash site src/cart.js:15 (applyCoupon)' },
    { name: 'apply', ok: true, detail: 'wrote src/cart.js' },
    { name: 'reproduction', ok: true, detail: 'the reproduction test passed 3 of 3 runs' },
    { name: 'suite', ok: true, detail: '5 tests collected (baseline 5), 5 run: 4 passed, 1 failed, 0 skipped; 1 failed before the patch too (not blamed on it): test/legacy.test.js::old' },
    { name: 'sensitivity', ok: true, detail: "with the patch reverted, the test fails again with the incident's signature (TypeError at src/cart.js:applyCoupon)" },
  ],
  preexistingFailures: ['test/legacy.test.js::old'],
  durationMs: 1200,
};

const LOCALIZATION: Localization = {
  ranking: Array.from({ length: 7 }, (_, i) => ({
    file: i < 3 ? 'src/cart.js' : 'src/coupons.js',
    line: 15 - i,
    function: i < 3 ? 'applyCoupon' : 'findCoupon',
    score: 0.9 - i * 0.1,
    reasons: [i === 0 ? 'crash site: TypeError raised here (stack frame 0)' : `Ochiai 0.71: rank ${i + 1}`],
  })),
  weights: { frames: 0.6, spectrum: 0.4 },
  spectrum: { failingTests: [], passingTests: 3, coveredLines: 20, problems: [] },
};

/** The lines of `md` outside fenced code blocks (CommonMark: a fence closes on a line of the same
 * character, at least as long, and nothing else). */
function outsideFences(md: string): string[] {
  const out: string[] = [];
  let open: { char: string; len: number } | undefined;
  for (const line of md.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!open) {
      if (m && !(m[1]!.startsWith('`') && m[2]!.includes('`'))) open = { char: m[1]![0]!, len: m[1]!.length };
      else out.push(line);
    } else if (m && m[1]![0] === open.char && m[1]!.length >= open.len && m[2]!.trim() === '') {
      open = undefined;
    }
  }
  return out;
}

describe('buildProposal', () => {
  it('titles the fix by error type, function and file', async () => {
    const bundle = await fixtureBundle('js-cart');
    assert.equal(proposalTitle(reproduction(bundle), CANDIDATE), 'fix: TypeError in applyCoupon (src/cart.js)');
    const long = reproduction(bundle);
    long.signature = { ...long.signature, type: 'E'.repeat(500), frame: { file: `src/${'d/'.repeat(300)}x.js`, function: 'f\n'.repeat(200) } };
    const title = proposalTitle(long, CANDIDATE);
    assert.ok(title.length <= 256 && !title.includes('\n'), title);
  });

  it('has every section and every piece of evidence', async () => {
    const bundle = await fixtureBundle('js-cart');
    const p = buildProposal({ bundle, reproduction: reproduction(bundle), localization: LOCALIZATION, candidate: CANDIDATE, alternatives: ['operator-swap-9f'] });
    Proposal.parse(p);
    const b = p.body;
    for (const heading of ['## Incident', '## Root cause', '## The fix', '## The tests', '## Risk', '## Evidence']) assert.ok(b.includes(`\n${heading}\n`), heading);
    // Incident: id, source, title, count; the trace id.
    assert.match(b, /\| Incident \| `inc_7f3a9c21e0` \|/);
    assert.match(b, /\| Source \| sentry \|/);
    assert.match(b, /\| Events \| 1 \(first seen /);
    assert.match(b, /\| Trace id \| `5b8efff798038103d269b633813fc60c` \|/);
    assert.ok(b.includes("```text\nTypeError: Cannot read properties of undefined (reading 'rate')\n```"));
    // Root cause from the evidence: crash frame, caller, the patch.
    assert.match(b, /Production raised `TypeError` in `applyCoupon` \(`src\/cart\.js`, line 15\), called from `checkout`/);
    assert.match(b, /The patch changes `src\/cart\.js` \(\+1 −0 lines\) at `src\/cart\.js:15`: null-guard: return total when coupon is undefined\./);
    // The fix and the tests.
    assert.ok(b.includes(`\`\`\`diff\n${DIFF}\`\`\``));
    assert.match(b, /New test: `test\/tracefix-7f3a9c21\.test\.js`, run by the repository's own runner \(node:test\)/);
    assert.match(b, /<details>\n<summary>The test file<\/summary>\n\n````js\n/);
    // Risk: files, lines, suite, preexisting failures, alternatives.
    assert.match(b, /Files touched: 1 \(`src\/cart\.js`\)/);
    assert.match(b, /Lines changed: \+1 −0/);
    assert.match(b, /Tests that already failed before the patch \(not caused by it\): 1/);
    assert.ok(b.includes('```text\ntest/legacy.test.js::old\n```'));
    assert.match(b, /Alternatives: 1 other validated candidate \(`operator-swap-9f`\)/);
    // Evidence: signature, reruns, suite, sensitivity, checks, localization top 5, locals.
    assert.match(b, /\*\*Signature matched\*\*: the reproduction failed with exception type `TypeError`, crash frame `src\/cart\.js` `applyCoupon` line 15/);
    assert.ok(b.includes('```text\nCannot read properties of undefined (reading <str>)\n```'));
    assert.match(b, /\*\*Reruns\*\*: 3\/3 runs failed with the signature before the patch; the reproduction test passed 3 of 3 runs with it\./);
    assert.match(b, /\*\*Suite\*\*: before the patch, .*; after, 5 tests collected \(baseline 5\), 5 run: 4 passed/);
    assert.match(b, /\*\*Sensitivity\*\*: with the patch reverted, the test fails again/);
    assert.match(b, /\| sensitivity \| ok \| with the patch reverted/);
    assert.match(b, /\*\*Localization\*\* \(top 5 of 7\):/);
    assert.match(b, /\| 1 \| `src\/cart\.js:15` \| `applyCoupon` \| 0\.900 \| crash site: TypeError raised here \(stack frame 0\) \|/);
    assert.match(b, /\| 5 \| `src\/coupons\.js:11` \| `findCoupon` \| 0\.500 \|/);
    assert.doesNotMatch(b, /\| 6 \|/);
    assert.match(b, /\*\*Crash frame locals\*\*[^\n]*\n\n```json\n\{\n[^`]* {2}"code": "SPRING24",?\n[^`]*\}\n```/);
    assert.equal(p.diff, DIFF);
    assert.equal(p.testFile, 'test/tracefix-7f3a9c21.test.js');
    assert.deepEqual(p.alternatives, ['operator-swap-9f']);
  });

  it('states the counts behind "the suite passes" and why the framework was chosen', async () => {
    const bundle = await fixtureBundle('js-cart');
    const candidate: Candidate = {
      ...CANDIDATE,
      counts: {
        suite: { collected: 5, run: 5, passed: 4, failed: 1, skipped: 0 },
        reproduction: { testId: 'test/tracefix-7f3a9c21.test.js::x', runs: 3, executed: 3, passed: 3 },
      },
    };
    const testing = { framework: 'node-test' as const, command: 'node --test', detection: 'node:test: 2 test files import node:test', baseline: { collected: 5, run: 5, passed: 3, failed: 2, skipped: 0 } };
    const b = buildProposal({ bundle, reproduction: reproduction(bundle), localization: LOCALIZATION, candidate, alternatives: [], testing }).body;
    assert.match(b, /the test passes, the suite passes \(5 tests collected, 5 run, 4 passed, 0 skipped\), and with the patch reverted/);
    assert.match(b, /- Test runner: `node --test`, chosen because node:test: 2 test files import node:test\./);
    assert.match(b, /- Test counts: before the patch 5 collected, 5 run: 3 passed, 2 failed, 0 skipped; with it 5 collected, 5 run: 4 passed, 1 failed, 0 skipped\./);
    // Without counts the claim stays without numbers rather than inventing them.
    const bare = buildProposal({ bundle, reproduction: reproduction(bundle), localization: LOCALIZATION, candidate: CANDIDATE, alternatives: [] }).body;
    assert.match(bare, /the test passes, the suite passes, and with the patch reverted/);
    assert.doesNotMatch(bare, /Test counts:/);
  });

  it('states its confidence with the reasons, the behaviour comparison, and which test inputs were searched', async () => {
    const bundle = await fixtureBundle('js-cart');
    const repro = reproduction(bundle);
    repro.attempts = [
      { n: 1, strategy: 'frame-call', outcome: 'reproduced', runs: [], arguments: [{ name: 'total', source: 'locals', detail: 'frame 0 local "total"' }, { name: 'code', source: 'type-boundary', detail: "a boundary of its type (string): ''", searched: true }] },
    ];
    const candidate: Candidate = {
      ...CANDIDATE,
      intent: { agreement: 'implied', reasons: ['applyCoupon: the doc says "returns the total unchanged when the code is unknown"'], values: ['total'] },
      preservation: { function: 'applyCoupon', inputs: 64, unchanged: 60, failing: 4, changedOutside: 0, sources: { production: 1, tests: 3, generated: 60 }, examples: [] },
    };
    const p = buildProposal({ bundle, reproduction: repro, localization: LOCALIZATION, candidate, alternatives: [], confidence: { level: 'medium', reasons: ['the change is implied by the contract', "the reproduction's inputs code were searched, not recorded in production"] } });
    Proposal.parse(p);
    assert.deepEqual(p.confidence?.level, 'medium');
    assert.match(p.body, /\n## Confidence: medium\n\n- the change is implied by the contract\n- the reproduction's inputs code were searched, not recorded in production\n/);
    assert.match(p.body, /- Behaviour: behaviour unchanged on 60 inputs \(1 recorded in production, 3 from the repository's tests, 60 generated\); changed only where production failed \(4 input\(s\) of the failing class\)\./);
    assert.match(p.body, /- Inputs recorded in production: `total` \(frame 0 local "total"\)\./);
    assert.match(p.body, /- Inputs searched, not recorded \(production sent no value; each made the test fail with the incident's signature in every run\): `code` \(a boundary of its type \(string\): ''\)\./);
  });

  it('keeps a hostile message, title and locals inside fences', async () => {
    const bundle = await fixtureBundle('js-cart', (event) => {
      event['title'] = `TypeError: ${HOSTILE}`;
      event['exception'].values[0].value = HOSTILE;
      (sentryFrames(event).at(-1) as Record<string, any>)['vars']['code'] = '```\n<img src=x onerror=alert(1)>';
    });
    const p = buildProposal({
      bundle,
      reproduction: reproduction(bundle),
      localization: LOCALIZATION,
      candidate: CANDIDATE,
      alternatives: [],
      rootCause: '<b>It</b> was `coupon` @octocat\n# not a heading',
    });
    const outside = outsideFences(p.body).join('\n');
    for (const needle of ['<script>', '<img', 'alert(', '</details><', '# heading', '@octocat']) assert.ok(!outside.includes(needle), `${needle} outside a fence:\n${outside}`);
    // It is all still there, inside the fences.
    assert.ok(p.body.includes("</details><script>alert('x')</script>"));
    // The engine's root cause is plain text.
    assert.match(outside, /&lt;b&gt;It&lt;\/b&gt; was \\`coupon\\` @\u200boctocat # not a heading/);
    // The <details> block around the test file closes where it should.
    assert.equal(outside.split('\n').filter((l) => l === '</details>').length, 1);
  });

  it('drops the test text and then the diff when the body would pass its cap', async () => {
    const bundle = await fixtureBundle('js-cart');
    const big = `${DIFF}${Array.from({ length: 3000 }, (_, i) => `+// line ${i} ${'x'.repeat(20)}`).join('\n')}\n`;
    const p = buildProposal({ bundle, reproduction: reproduction(bundle), localization: LOCALIZATION, candidate: { ...CANDIDATE, diff: big }, alternatives: [] });
    Proposal.parse(p);
    assert.match(p.body, /The diff is too long to show here .*; it is attached as `patch\.diff`\./);
    assert.ok(!p.body.includes('<details>'));
    assert.equal(p.diff, big);
  });
});

describe('markdown helpers', () => {
  it('fences with more backticks than the text holds, and code spans likewise', () => {
    assert.equal(fence('a ``` b\n````'), '`````text\na ``` b\n````\n`````\n');
    assert.equal(code('a`b'), '``a`b``');
    assert.equal(code('`x`'), '`` `x` ``');
    assert.equal(code('line\nbreak'), '`line break`');
  });

  it('escapes prose: no HTML, no emphasis or links, no block starts, no mentions', () => {
    assert.equal(escapeText('<a href=x>*hi*</a> [l](u) @me'), '&lt;a href=x&gt;\\*hi\\*&lt;/a&gt; \\[l\\](u) @\u200bme');
    assert.equal(escapeText('# title'), '\\# title');
    assert.equal(escapeText('1. first'), '1\\. first');
    assert.equal(escapeText('- item'), '\\- item');
  });
});
