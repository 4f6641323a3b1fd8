// Renders benchmark reports: totals per language beside HumanEvalFix's published pass@1, and a
// per-bug table. Written into docs/benchmarks.md between markers (as bench/sandbox.ts does).
import fs from 'node:fs';
import type { BugReport } from './harness.ts';
import { describeTimings } from './timing.ts';

/** OctoCoder on HumanEvalFix (tests variant, all 164 problems), from the OctoPack paper. */
export const PUBLISHED_PASS_AT_1: Record<string, number> = { python: 30.4, node: 28.4 };

/** Each corpus's own published figures (pass@1 per language) and where they come from: a corpus
 * that has none is compared with nothing, never with another corpus's figures. */
export const PUBLISHED_BY_CORPUS: Record<string, { label: string; passAt1: Record<string, number> }> = {
  humanevalfix: { label: 'OctoCoder', passAt1: PUBLISHED_PASS_AT_1 },
};

export interface Totals {
  language: string;
  bugs: number;
  reproduced: number;
  plausible: number;
  correct: number;
  medianTimeMs: number;
  medianPatchLines: number | undefined;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function totals(reports: readonly BugReport[]): Totals[] {
  const langs = [...new Set(reports.map((r) => r.language))].sort();
  return [...langs, 'all'].map((language) => {
    const rs = language === 'all' ? reports : reports.filter((r) => r.language === language);
    return {
      language,
      bugs: rs.length,
      reproduced: rs.filter((r) => r.reproduced).length,
      plausible: rs.filter((r) => r.plausible).length,
      correct: rs.filter((r) => r.correct).length,
      medianTimeMs: median(rs.map((r) => r.timeMs)) ?? 0,
      medianPatchLines: median(rs.filter((r) => r.patchLines !== undefined).map((r) => r.patchLines!)),
    };
  });
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '–');

/** `published: false` leaves out HumanEvalFix's published numbers (a corpus they do not describe). */
export function markdown(reports: readonly BugReport[], header: { corpus: string; engine: string; note?: string; published?: boolean }): string {
  // The corpus's own figures only (the corpus name's first word: `humanevalfix-js` → humanevalfix).
  const own = header.published === false ? undefined : PUBLISHED_BY_CORPUS[header.corpus.toLowerCase().split(/[^a-z]/)[0] ?? ''];
  const lines = [
    `## Repair: ${header.engine} engine on ${header.corpus}`,
    '',
    ...(header.note ? [header.note, ''] : []),
    `| language | bugs | reproduced | plausible (visible tests pass) | correct (ground truth passes) | overfitting (plausible but wrong ÷ plausible) | published pass@1${own ? ` (${own.label})` : ''} | median time | median patch |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const t of totals(reports)) {
    const published = own?.passAt1[t.language];
    lines.push(
      `| ${t.language} | ${t.bugs} | ${t.reproduced} | ${t.plausible} (${pct(t.plausible, t.bugs)}) | ${t.correct} (${pct(t.correct, t.bugs)}) | ${pct(t.plausible - t.correct, t.plausible)} | ${published !== undefined ? `${published}%` : '–'} | ${(t.medianTimeMs / 1000).toFixed(1)} s | ${t.medianPatchLines ?? '–'} lines |`,
    );
  }
  // The core path times its stages and execs: one more column says where each bug's time went.
  const timed = reports.some((r) => r.timings);
  lines.push(
    '',
    '<details><summary>Per bug</summary>',
    '',
    `| bug | type | reproduced | plausible | correct | patch | template | tried/generated | time |${timed ? ' where the time went (s) |' : ''}`,
    `| --- | --- | --- | --- | --- | --- | --- | --- | --- |${timed ? ' --- |' : ''}`,
  );
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  for (const r of reports) {
    const patch = r.patchLines !== undefined ? `${r.patchLines} lines` : '–';
    const template = r.template ? `${r.template}: ${r.description?.replace(/\|/g, '\\|').slice(0, 80)}` : (r.reason ?? '');
    lines.push(
      `| ${r.id} | ${r.bugType} | ${yes(r.reproduced)} | ${yes(r.plausible)} | ${yes(r.correct)} | ${patch} | ${template} | ${r.candidates.tried}/${r.candidates.generated} | ${(r.timeMs / 1000).toFixed(1)} s |${timed ? ` ${describeTimings(r.timings)} |` : ''}`,
    );
  }
  lines.push('', '</details>', '');
  lines.push(...usageTable(reports));
  return lines.join('\n');
}

/** The model's tokens and cost per bug and in total (LLM engine runs only). */
function usageTable(reports: readonly BugReport[]): string[] {
  const used = reports.filter((r) => r.usage);
  if (used.length === 0) return [];
  const sum = (pick: (u: NonNullable<BugReport['usage']>) => number) => used.reduce((s, r) => s + pick(r.usage!), 0);
  const row = (id: string, fixed: string, u: { calls: number; promptTokens: number; completionTokens: number; costUsd: number }) =>
    `| ${id} | ${fixed} | ${u.calls} | ${u.promptTokens.toLocaleString('en-US')} | ${u.completionTokens.toLocaleString('en-US')} | $${u.costUsd.toFixed(4)} |`;
  return [
    '| bug | fixed (correct) | model calls | prompt tokens | completion tokens | cost |',
    '| --- | --- | --- | --- | --- | --- |',
    ...used.map((r) => row(r.id, r.correct ? 'yes' : r.plausible ? 'plausible only' : 'no', r.usage!)),
    row('**total**', `${used.filter((r) => r.correct).length} of ${used.length}`, {
      calls: sum((u) => u.calls),
      promptTokens: sum((u) => u.promptTokens),
      completionTokens: sum((u) => u.completionTokens),
      costUsd: sum((u) => u.costUsd),
    }),
    '',
  ];
}

/** Replaces (or appends) the marked section of a markdown file; one section per corpus and engine
 * (`repair-humanevalfix-templates`, `repair-examples-llm`, …), so each run updates only its own. */
export function writeRepairSection(file: string, section: string, key = 'repair'): void {
  const START = `<!-- bench:${key}:start -->`;
  const END = `<!-- bench:${key}:end -->`;
  const block = `${START}\n${section}${END}\n`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? current.slice(0, start) + block + current.slice(end + END.length + 1) : `${current.trimEnd()}\n\n${block}`;
  fs.writeFileSync(file, next);
}
