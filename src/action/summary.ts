// The step's job summary (Markdown, shown on the workflow run's page) and the crash annotation.
// Everything that came from the incident (messages, test names, the patch) goes through the
// proposal's inert-Markdown helpers: an issue body is anyone's text.
import type { Run } from '../../schemas/run.ts';
import { code, escapeText, fence } from '../repair/proposal/index.ts';

export type ActionStatus = 'fixed' | 'not-fixed' | 'not-reproduced' | 'skipped';

export interface SummaryInput {
  status: ActionStatus;
  /** Why nothing was done, or why the run did not fix it. */
  reason?: string;
  run?: Run;
  prUrl?: string;
  /** Where the proposal went instead of a PR (a review, the summary only), in our words. */
  published?: string;
  outputsDir?: string;
}

const HEADLINE: Record<ActionStatus, string> = {
  fixed: 'a validated fix was found',
  'not-fixed': 'reproduced, but no fix validated',
  'not-reproduced': 'the failure could not be reproduced',
  skipped: 'nothing to do',
};

export function jobSummary(input: SummaryInput): string {
  const { run } = input;
  const lines = [`## tracefix: ${HEADLINE[input.status]}`, ''];
  if (input.reason) lines.push(escapeText(input.reason), '');
  if (run?.proposal) lines.push(`**${escapeText(run.proposal.title)}**`, '');
  if (run) lines.push(`- incident: ${code(run.incident.id)}`);
  const repro = run?.reproduction;
  if (repro?.status === 'reproduced') {
    const sig = repro.signature;
    lines.push(`- reproduction: ${code(repro.testId)} fails with ${code(`${sig.type}: ${sig.message}`)}, ${repro.runs} of ${repro.runs} runs`);
  }
  if (run && run.candidates.length > 0) {
    const validated = run.candidates.filter((c) => c.status === 'validated').length;
    lines.push(`- candidates: ${run.candidates.length} tried, ${validated} validated`);
  }
  if (input.prUrl) lines.push(`- pull request: ${input.prUrl}`);
  if (input.published) lines.push(`- ${escapeText(input.published)}`);
  if (input.outputsDir) lines.push(`- files: ${code(input.outputsDir)} (result.json${run?.proposal ? ', patch.diff, pr.md, the test' : ''})`);
  if (run?.proposal) lines.push('', '<details><summary>patch.diff</summary>', '', fence(run.proposal.diff, 'diff'), '</details>');
  return `${lines.join('\n')}\n`;
}

export interface CrashAnnotation {
  title: string;
  message: string;
  file?: string;
  line?: number;
}

/** Where production (or the failing test) crashed, for an `::error file=…,line=…::` annotation. */
export function crashAnnotation(run: Run): CrashAnnotation | undefined {
  const repro = run.reproduction;
  const sig = repro?.signature;
  if (!sig) return undefined;
  const frame = sig.frame;
  // One line: a workflow command ends at the first newline (@actions/core escapes the rest).
  const message = `${sig.type}: ${sig.message}`.split('\n')[0]!.slice(0, 500);
  return {
    title: `tracefix: ${HEADLINE[run.status]}`,
    message,
    ...(frame && !frame.file.startsWith('/') && !frame.file.includes('..') ? { file: frame.file } : {}),
    ...(frame?.line ? { line: frame.line } : {}),
  };
}
