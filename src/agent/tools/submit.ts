// show_diff and submit. A submission is the agent's source edits and nothing else (its own test
// files stay out), judged by the repair core's validation like any other candidate: the
// workspace goes back to its pre-edit state, validate() applies the patch, checks it and
// restores; a validated patch ends the attempt, a rejected one comes back to the model with the
// reason, its edits re-applied so it can go on within the budget. Nothing partial is ever
// submitted on the agent's behalf: only this tool proposes a patch.
import { z } from 'zod';
import type { Candidate, Localization } from '../../../schemas/run.ts';
import type { ProposedPatch, ValidateFn } from '../../repair/types.ts';
import { defineTool, refuse, type Tool } from './types.ts';

export const showDiffTool = defineTool({
  name: 'show_diff',
  description: 'Show your changes so far as a unified diff (your own test files included).',
  schema: z.strictObject({}),
  async run(_args, ctx) {
    const diff = await ctx.ledger.diff();
    if (!diff) return { ok: true, summary: 'no changes yet' };
    return { ok: true, summary: `changes in ${ctx.ledger.touched().length} file(s)`, data: [{ id: 'show_diff', text: diff }] };
  },
});

export interface SubmitDeps {
  attempt: number;
  validate: ValidateFn;
  ranking: Localization['ranking'];
  /** Each validated or rejected candidate with the patch it came from. */
  onCandidate(candidate: Candidate, patch: ProposedPatch): void;
  /** Rejected submissions after which the attempt ends. @defaultValue 5 */
  maxSubmits?: number;
}

/** First and last changed line (1-based, in the new text). */
function changedLines(before: string, after: string): [number, number] {
  const a = before.split('\n');
  const b = after.split('\n');
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  let fromEnd = 0;
  while (fromEnd < a.length - first && fromEnd < b.length - first && a[a.length - 1 - fromEnd] === b[b.length - 1 - fromEnd]) fromEnd++;
  return [first + 1, Math.max(first + 1, b.length - fromEnd)];
}

/** The best ranked location the patch touches (within 3 lines), for selection's tie-breaks. */
function locate(changes: { path: string; before: string; after: string }[], ranking: Localization['ranking']): { file: string; line: number; score: number } {
  let best: { file: string; line: number; score: number } | undefined;
  for (const c of changes) {
    const [first, last] = changedLines(c.before, c.after);
    for (const r of ranking) {
      if (r.file === c.path && r.line >= first - 3 && r.line <= last + 3 && (!best || r.score > best.score)) best = { file: r.file, line: r.line, score: r.score };
    }
    best ??= { file: c.path, line: first, score: 0 };
  }
  return best!;
}

function verdictText(candidate: Candidate): string {
  const checks = candidate.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
  return [candidate.reason ? `reason: ${candidate.reason}` : '', ...checks].filter(Boolean).join('\n');
}

export function submitTool(deps: SubmitDeps): Tool {
  let submitted = 0;
  let rejected = 0;
  const maxSubmits = deps.maxSubmits ?? 5;
  return defineTool({
    name: 'submit',
    description:
      'Submit your fix for validation once the reproduction passes and the suite is green. The patch is your edits to source files ' +
      '(your own test files are not included). Give a one-line summary and a one-paragraph root cause. If it is rejected you get the ' +
      'reason and may continue.',
    schema: z.strictObject({
      summary: z.string().min(1).max(200).describe('one line: what the fix does'),
      root_cause: z.string().min(1).max(2000).describe('one paragraph: why the incident happened'),
    }),
    async run(args, ctx) {
      const changes = await ctx.ledger.changes();
      if (changes.length === 0) return refuse('nothing to submit: no source file differs from the commit (edit the code first)');
      submitted++;
      const location = locate(changes, deps.ranking);
      const patch: ProposedPatch = {
        id: `llm-${deps.attempt}-${submitted}`,
        engine: 'llm',
        description: args.summary.replace(/\s+/g, ' ').trim(),
        location: { file: location.file, line: location.line },
        files: new Map(changes.map((c) => [c.path, c.after])),
        locationScore: location.score,
        rootCause: args.root_cause.trim(),
      };
      // Validation starts from the pre-edit workspace and leaves it there; the agent's edits
      // (its test files too) come back afterwards unless the attempt is over.
      const snapshot = await ctx.ledger.snapshot();
      await ctx.ledger.reset();
      let candidate: Candidate;
      try {
        candidate = await deps.validate(patch);
      } catch (error) {
        await ctx.ledger.restore(snapshot);
        return { ok: false, summary: `validation could not run: ${(error as Error).message}`, end: { kind: 'error', message: `validation failed: ${(error as Error).message}` } };
      }
      deps.onCandidate(candidate, patch);
      const files = [...patch.files.keys()].join(', ');
      if (candidate.status === 'validated') {
        return { ok: true, summary: `${patch.id} (${files}) validated: the attempt is complete`, data: [{ id: `verdict:${patch.id}`, text: verdictText(candidate) }], progress: true, end: { kind: 'goal', goal: 'validated' } };
      }
      rejected++;
      await ctx.ledger.restore(snapshot);
      const last = rejected >= maxSubmits;
      return {
        ok: false,
        summary: `${patch.id} (${files}) ${candidate.status}${last ? `; ${rejected} submissions rejected, the attempt ends` : '; your edits are back in the workspace: fix and submit again'}`,
        data: [{ id: `verdict:${patch.id}`, text: verdictText(candidate) }],
        progress: true,
        ...(last ? { end: { kind: 'exhausted', reason: `${rejected} submissions rejected` } } : {}),
      };
    },
  });
}
