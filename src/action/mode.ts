// What `tracefix action` was asked to do, read off the event that started the workflow:
// - "issue": an issue got the configured label; the issue is the alert;
// - "test": a test command is configured; if it fails, the failing test is the incident, and the
//   fix goes where the event points (a review on the pull request, or a draft PR on the branch);
// - "skipped": nothing to do (another event, another label), which is a success.
import { z } from 'zod';
import type { ActionContext } from '../../schemas/action.ts';

/** Where a fix found in test mode is proposed. */
export type TestTarget =
  | { kind: 'review'; pullNumber: number; headSha: string; headRef: string }
  /** A pull request from a fork: the workflow token cannot write, so summary and artifacts only. */
  | { kind: 'fork'; pullNumber: number }
  | { kind: 'branch'; branch: string }
  | { kind: 'none'; why: string };

export type ActionMode =
  | { kind: 'issue'; raw: Buffer; issueNumber: number; sender?: string }
  | { kind: 'test'; command: string; target: TestTarget }
  | { kind: 'skipped'; reason: string };

const LabeledIssue = z.object({
  action: z.string(),
  label: z.object({ name: z.string() }).nullish(),
  issue: z.object({ number: z.number().int().positive() }),
  sender: z.object({ login: z.string() }).nullish(),
});

const PullRequestEvent = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    head: z.object({ sha: z.string(), ref: z.string(), repo: z.object({ full_name: z.string() }).nullish() }),
    base: z.object({ repo: z.object({ full_name: z.string() }) }),
  }),
});

function branchOf(ref: string | undefined): string | undefined {
  return ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

function testTarget(context: ActionContext, payload: unknown): TestTarget {
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const parsed = PullRequestEvent.safeParse(payload);
    if (!parsed.success) return { kind: 'none', why: `the ${context.eventName} payload has no pull_request` };
    const pr = parsed.data.pull_request;
    // A fork's head repository differs from the base; its workflows get a read-only token.
    if (pr.head.repo?.full_name !== pr.base.repo.full_name) return { kind: 'fork', pullNumber: pr.number };
    return { kind: 'review', pullNumber: pr.number, headSha: pr.head.sha, headRef: pr.head.ref };
  }
  const branch = branchOf(context.ref);
  if (branch) return { kind: 'branch', branch };
  return { kind: 'none', why: `${context.ref ?? 'the run'} is not a branch` };
}

/** The mode, from the event name, its payload (already parsed JSON) and the inputs. */
export function actionMode(context: ActionContext, raw: Buffer): ActionMode {
  let payload: unknown;
  try {
    payload = JSON.parse(raw.toString('utf8'));
  } catch {
    return { kind: 'skipped', reason: 'the event payload is not JSON' };
  }
  if (context.eventName === 'issues') {
    const parsed = LabeledIssue.safeParse(payload);
    if (!parsed.success || parsed.data.action !== 'labeled') return { kind: 'skipped', reason: 'an issues event that is not a label being added' };
    const label = parsed.data.label?.name ?? '';
    if (label.toLowerCase() !== context.inputs.label.toLowerCase()) return { kind: 'skipped', reason: `the label added is "${label}", not "${context.inputs.label}"` };
    return { kind: 'issue', raw, issueNumber: parsed.data.issue.number, ...(parsed.data.sender ? { sender: parsed.data.sender.login } : {}) };
  }
  if (context.inputs.testCommand) return { kind: 'test', command: context.inputs.testCommand, target: testTarget(context, payload) };
  return { kind: 'skipped', reason: `nothing to do on a ${context.eventName} event without a test-command` };
}
