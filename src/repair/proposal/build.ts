// The proposal: the chosen candidate as a pull request a person can review without re-running
// anything. Title `fix: <error type> in <function> (<file>)`; the body says what happened (incident,
// trace), why (root cause), what changes (the diff), how it is tested, what it risks, and the
// evidence behind each claim (signature, reruns, suite before and after, sensitivity, the
// localization). Every piece of text from telemetry or the repository is fenced (markdown.ts).
import path from 'node:path';
import type { Bundle } from '../../../schemas/bundle.ts';
import type { Candidate, Confidence, Localization, Proposal, Reproduced, TestCounts, TestingRecord } from '../../../schemas/run.ts';
import type { Framework } from '../../../schemas/test-results.ts';
import type { SuiteBaseline } from '../types.ts';
import { code, codeCell, escapeText, fence, stripControls, table } from './markdown.ts';
import { describePreservation } from '../preserve/index.ts';
import { diffFiles, rootCauseSection } from './root-cause.ts';

export interface ProposalInput {
  bundle: Bundle;
  reproduction: Reproduced;
  localization: Localization | null;
  candidate: Candidate;
  /** Other validated candidates, best first (selectCandidate). */
  alternatives: readonly string[];
  /** The engine's root cause for this candidate (the model's), when it gave one. */
  rootCause?: string;
  /** The suite before the patch, for the evidence's "before"; without it the record says less. */
  baseline?: SuiteBaseline;
  /** The framework, why it was chosen, and the baseline's counts (result.json's `tests`). */
  testing?: TestingRecord;
  /** How sure, with the reasons (intent/index.ts confidenceOf). */
  confidence?: Confidence;
}

const TITLE_MAX = 256;
const BODY_MAX = 65_536;
const FRAMEWORK_NAMES: Record<Framework, string> = { 'node-test': 'node:test', vitest: 'Vitest', jest: 'Jest', mocha: 'Mocha', pytest: 'pytest', unittest: 'unittest' };
const FENCE_LANG: Record<string, string> = { '.js': 'js', '.cjs': 'js', '.mjs': 'js', '.jsx': 'jsx', '.ts': 'ts', '.cts': 'ts', '.mts': 'ts', '.tsx': 'tsx', '.py': 'python' };

function titlePart(text: string, max: number): string {
  const t = stripControls(text).replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

export function proposalTitle(reproduction: Reproduced, candidate: Candidate): string {
  const sig = reproduction.signature;
  const file = sig.frame?.file ?? candidate.location?.file;
  const fn = sig.frame?.function;
  const type = titlePart(sig.type || 'error', 80);
  const where = fn ? ` in ${titlePart(fn, 80)}${file ? ` (${titlePart(file, 80)})` : ''}` : file ? ` in ${titlePart(file, 120)}` : '';
  return titlePart(`fix: ${type}${where}`, TITLE_MAX);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "12 collected, 11 run: 10 passed, 1 failed, 1 skipped": the numbers behind "the suite passes". */
export function countsText(c: TestCounts): string {
  return `${c.collected} collected, ${c.run} run: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}

function check(candidate: Candidate, name: Candidate['checks'][number]['name']) {
  return candidate.checks.find((c) => c.name === name);
}

function incidentSection(bundle: Bundle): string {
  const i = bundle.incident;
  const traceId = bundle.trace.traceId;
  const rows = [
    ['Incident', codeCell(i.id)],
    ['Source', escapeText(i.source)],
    ['Events', `${i.count} (first seen ${escapeText(i.firstSeen)}, last seen ${escapeText(i.lastSeen)})`],
    ['Trace id', traceId ? codeCell(traceId) : 'none recorded'],
  ];
  return `## Incident\n\n${table(['', ''], rows)}\nAs reported:\n\n${fence(i.title)}`;
}

function fixSection(candidate: Candidate, withDiff: boolean): string {
  const intro = `${escapeText(candidate.description)} (engine ${code(candidate.engine)}, candidate ${code(candidate.id)})`;
  const diff = withDiff ? fence(candidate.diff, 'diff') : `The diff is too long to show here (${plural(candidate.stats.added + candidate.stats.removed, 'line')}); it is attached as \`patch.diff\`.\n`;
  return `## The fix\n\n${intro}\n\n${diff}`;
}

function testsSection(reproduction: Reproduced, candidate: Candidate, withContent: boolean, testing: TestingRecord | undefined): string {
  const framework = FRAMEWORK_NAMES[reproduction.framework];
  const file = reproduction.testFile;
  const lines = [
    file ? `- New test: ${code(file)}, run by the repository's own runner (${framework}) as ${code(reproduction.testId, 300)}.` : `- The test: ${code(reproduction.testId, 300)} (${framework}).`,
    `- Before the patch it failed with the incident's signature in ${reproduction.runs} of ${reproduction.runs} runs.`,
    `- With the patch: ${escapeText(check(candidate, 'reproduction')?.detail ?? 'not run')}.`,
  ];
  if (testing) lines.push(`- Test runner: ${code(testing.command, 300)}, chosen because ${escapeText(testing.detection)}.`);
  const suite = candidate.counts?.suite;
  if (testing?.baseline || suite) {
    lines.push(`- Test counts: before the patch ${testing?.baseline ? escapeText(countsText(testing.baseline)) : 'not recorded'}; with it ${suite ? escapeText(countsText(suite)) : 'not recorded'}.`);
  }
  lines.push(...inputLines(reproduction));
  let out = `## The tests\n\n${lines.join('\n')}\n`;
  if (withContent && file && reproduction.testContent) {
    // The test carries production values (redacted): fenced like every other telemetry text.
    out += `\n<details>\n<summary>The test file</summary>\n\n${fence(reproduction.testContent, FENCE_LANG[path.extname(file)] ?? 'text')}\n</details>\n`;
  }
  return out;
}

/** Which of the test's inputs production recorded and which the input search found (a guess the
 * signature gate accepted): a reviewer weighs a searched input differently. */
function inputLines(reproduction: Reproduced): string[] {
  const args = reproduction.attempts.at(-1)?.arguments ?? [];
  if (args.length === 0) return [];
  const item = (a: (typeof args)[number]) => `${code(a.name, 80)} (${escapeText(a.detail ?? a.source)})`;
  const recorded = args.filter((a) => !a.searched && a.source !== 'default');
  const searched = args.filter((a) => a.searched);
  const out = [`- Inputs recorded in production: ${recorded.length ? recorded.map(item).join('; ') : 'none'}.`];
  if (searched.length) out.push(`- Inputs searched, not recorded (production sent no value; each made the test fail with the incident's signature in every run): ${searched.map(item).join('; ')}.`);
  return out;
}

function confidenceSection(confidence: Confidence, candidate: Candidate): string {
  const lines = confidence.reasons.map((r) => `- ${escapeText(r)}`);
  const intent = candidate.intent;
  if (intent && intent.reasons.length > 1) lines.push(...intent.reasons.slice(1).map((r) => `- ${escapeText(r)}`));
  return `## Confidence: ${confidence.level}\n\n${lines.join('\n')}\n`;
}

function riskSection(candidate: Candidate, alternatives: readonly string[]): string {
  const files = diffFiles(candidate.diff);
  const lines = [
    `- Files touched: ${candidate.stats.files}${files.length ? ` (${files.map((f) => code(f)).join(', ')})` : ''}.`,
    `- Lines changed: +${candidate.stats.added} −${candidate.stats.removed}.`,
    `- Suite with the patch: ${escapeText(check(candidate, 'suite')?.detail ?? 'not run')}.`,
    `- Behaviour: ${escapeText(candidate.preservation ? describePreservation(candidate.preservation) : 'not compared with the original (no single changed function to run side by side)')}.`,
  ];
  for (const name of ['typecheck', 'lint'] as const) {
    const c = check(candidate, name);
    if (c) lines.push(`- ${name}: ${escapeText(c.detail ?? (c.ok ? 'passed' : 'failed'))}.`);
  }
  const pre = candidate.preexistingFailures ?? [];
  lines.push(pre.length ? `- Tests that already failed before the patch (not caused by it): ${pre.length}, listed below.` : '- No test failed before the patch (besides the reproduction).');
  lines.push(alternatives.length ? `- Alternatives: ${plural(alternatives.length, 'other validated candidate')} (${alternatives.slice(0, 10).map((a) => code(a)).join(', ')}).` : '- Alternatives: none validated.');
  return `## Risk\n\n${lines.join('\n')}\n${pre.length ? `\n${fence(pre.join('\n'))}` : ''}`;
}

function evidenceSection(input: ProposalInput): string {
  const { reproduction, candidate, localization, baseline, bundle } = input;
  const sig = reproduction.signature;
  const frame = sig.frame ? `${code(sig.frame.file)} ${sig.frame.function ? code(sig.frame.function) : ''}${sig.frame.line ? ` line ${sig.frame.line}` : ''}` : 'none (no in-app frame)';
  const before = baseline
    ? `${input.testing?.baseline ? countsText(input.testing.baseline) : `${plural(baseline.tests.length, 'test')} ran`}, ${baseline.failing.length} failed besides the reproduction test`
    : 'the reproduction test failed with the signature; the rest of the suite is compared test by test';
  const parts = [
    '## Evidence',
    `**Signature matched**: the reproduction failed with exception type ${code(sig.type)}, crash frame ${frame}, and the normalized message:\n\n${fence(sig.normalizedMessage)}`,
    `**Reruns**: ${reproduction.runs}/${reproduction.runs} runs failed with the signature before the patch; ${escapeText(check(candidate, 'reproduction')?.detail ?? 'not run')} with it.`,
    `**Suite**: before the patch, ${escapeText(before)}; after, ${escapeText(check(candidate, 'suite')?.detail ?? 'not run')}.`,
    `**Sensitivity**: ${escapeText(check(candidate, 'sensitivity')?.detail ?? 'not run')}.`,
    `**Validation checks**, in the order they ran:\n\n${table(['check', 'result', 'detail'], candidate.checks.map((c) => [c.name, c.ok ? 'ok' : 'failed', escapeText(c.detail ?? '')]))}`,
  ];
  const top = localization?.ranking.slice(0, 5) ?? [];
  parts.push(
    top.length
      ? `**Localization** (top ${top.length} of ${localization?.ranking.length ?? 0}):\n\n${table(
          ['#', 'location', 'function', 'score', 'reasons'],
          top.map((r, i) => [String(i + 1), codeCell(`${r.file}:${r.line}`), r.function ? codeCell(r.function) : '', r.score.toFixed(3), escapeText(r.reasons.join('; '))]),
        )}`
      : '**Localization**: no ranked location.',
  );
  const topFrame = bundle.exception.frames[bundle.exception.topInAppFrame];
  if (topFrame?.locals && Object.keys(topFrame.locals).length > 0) {
    const locals = JSON.stringify(topFrame.locals, null, 2);
    parts.push(`**Crash frame locals** (redacted, as production recorded them):\n\n${fence(locals.length > 4000 ? `${locals.slice(0, 4000)}\n…` : locals, 'json')}`);
  }
  return parts.map((p) => p.trimEnd()).join('\n\n');
}

/** " (12 tests collected, 12 run, 11 passed, 1 skipped)": the claim with its numbers, when known. */
function suiteNumbers(input: ProposalInput): string {
  const c = input.candidate.counts?.suite;
  return c ? ` (${c.collected} tests collected, ${c.run} run, ${c.passed} passed, ${c.skipped} skipped)` : '';
}

function body(input: ProposalInput, full: { diff: boolean; testContent: boolean }): string {
  const { reproduction, candidate } = input;
  const intro =
    `tracefix reproduced incident ${code(input.bundle.incident.id)} with a failing test and validated this patch in a sandbox: ` +
    `the test passes, the suite passes${suiteNumbers(input)}, and with the patch reverted the test fails with the production signature again. Review it like any other change.`;
  return [
    intro,
    incidentSection(input.bundle),
    `## Root cause\n\n${rootCauseSection({ bundle: input.bundle, reproduction, candidate, rootCause: input.rootCause })}`,
    fixSection(candidate, full.diff),
    ...(input.confidence ? [confidenceSection(input.confidence, candidate)] : []),
    testsSection(reproduction, candidate, full.testContent, input.testing),
    riskSection(candidate, input.alternatives),
    evidenceSection(input),
  ]
    .map((section) => section.trimEnd())
    .join('\n\n')
    .concat('\n');
}

export function buildProposal(input: ProposalInput): Proposal {
  const { candidate, reproduction } = input;
  // The body has a cap the diff alone may pass: drop the test's text first, then the diff (both
  // are attached in full), and cut what is still too long (an open fence then runs to the end).
  let text = body(input, { diff: true, testContent: true });
  if (text.length > BODY_MAX) text = body(input, { diff: true, testContent: false });
  if (text.length > BODY_MAX) text = body(input, { diff: false, testContent: false });
  if (text.length > BODY_MAX) text = text.slice(0, BODY_MAX);
  return {
    candidateId: candidate.id,
    title: proposalTitle(reproduction, candidate),
    body: text,
    diff: candidate.diff,
    ...(reproduction.testFile ? { testFile: reproduction.testFile } : {}),
    ...(reproduction.testContent ? { testContent: reproduction.testContent } : {}),
    alternatives: input.alternatives.map((a) => a.slice(0, 128)),
    ...(input.confidence ? { confidence: input.confidence } : {}),
  };
}
