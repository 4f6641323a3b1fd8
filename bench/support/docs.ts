// docs/benchmarks.md: a fixed header, then one marked section per benchmark. A run rewrites the
// sections it measured and keeps the others as they were (each says when and where it was
// measured), so `npm run bench -- intake` does not erase the sandbox numbers. The markers are the
// ones bench/sandbox.ts --write uses, so both writers agree.
import fs from 'node:fs';
import { describeMachine, markdownTable, type BenchRow, type Machine } from './report.ts';

export interface SectionSpec {
  name: string;
  title: string;
  /** How the numbers are produced, in a sentence or three. */
  method: string;
  /** How to read the numbers (what bounds them), printed under a measured table. */
  notes?: string;
}

export type SectionResult =
  | { kind: 'measured'; rows: BenchRow[]; machine: Machine; at: Date; seconds: number }
  | { kind: 'not-measured'; reason: string; at: Date };

const start = (name: string) => `<!-- bench:${name}:start -->`;
const end = (name: string) => `<!-- bench:${name}:end -->`;

/** The existing block of each section (markers included), by name. */
export function readSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  const re = /<!-- bench:([\w-]+):start -->[\s\S]*?<!-- bench:\1:end -->/g;
  for (const match of text.matchAll(re)) sections.set(match[1] as string, match[0]);
  return sections;
}

export function renderSection(spec: SectionSpec, result: SectionResult | undefined): string {
  const lines = [start(spec.name), `## ${spec.title}`, ''];
  if (!result) {
    lines.push('Not measured yet.', '', `Method: ${spec.method}`);
  } else if (result.kind === 'not-measured') {
    lines.push(`Not measured (${result.at.toISOString().slice(0, 16)}Z): ${result.reason}`, '', `Method: ${spec.method}`);
  } else {
    const judged = result.rows.filter((r) => r.pass !== null);
    const missed = judged.filter((r) => r.pass === false).length;
    lines.push(
      `Measured ${result.at.toISOString().slice(0, 16)}Z by bench/run.ts (${result.seconds.toFixed(0)} s; rerun: \`npm run bench -- ${spec.name}\`) on ${describeMachine(result.machine)}.`,
      '',
      `Method: ${spec.method}`,
      '',
      markdownTable(result.rows),
      '',
      judged.length === 0
        ? 'No row of this benchmark has a target.'
        : missed === 0
          ? `All ${judged.length} targets met.`
          : `**${missed} of ${judged.length} targets missed.**`,
      ...(spec.notes ? ['', spec.notes] : []),
    );
  }
  lines.push(end(spec.name));
  return lines.join('\n');
}

const HEADER = (when: Date) => `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); rerun it instead of editing this file. \`npm run bench -- <name>\`
remeasures one section and keeps the others, so each section states when and on what machine it
was measured. Last written ${when.toISOString().slice(0, 16)}Z.

## Method

- Every number is measured, never estimated; a benchmark that cannot run here (its module does not
  exist yet, or a prerequisite such as Docker or Postgres is missing) is reported as not measured,
  with the reason.
- Each comparison has its baseline measured in the same run, on the same machine, right next to it
  (a bare Fastify route for intake, parse-only for OTLP, the host process for the sandbox), and
  ratios are taken between those neighbours, so that a busy or slow machine moves both sides.
- Absolute numbers depend on the machine and on whatever else ran on it: each section gives the
  core count, memory, Node version and the load average when it started. Compare ratios across
  machines, not raw rates.
- \`result\` is pass or MISS against the target the issue set for that row; rows without a target
  are context.
`;

export function writeBenchmarksDoc(file: string, specs: readonly SectionSpec[], results: ReadonlyMap<string, SectionResult>, when = new Date()): void {
  const existing = fs.existsSync(file) ? readSections(fs.readFileSync(file, 'utf8')) : new Map<string, string>();
  const blocks = specs.map((spec) => {
    const result = results.get(spec.name);
    if (result) return renderSection(spec, result);
    return existing.get(spec.name) ?? renderSection(spec, undefined);
  });
  // Sections of benchmarks this runner does not know (written by another tool) are kept at the end.
  for (const [name, block] of existing) if (!specs.some((s) => s.name === name)) blocks.push(block);
  fs.writeFileSync(file, `${HEADER(when)}\n${blocks.join('\n\n')}\n`);
}
