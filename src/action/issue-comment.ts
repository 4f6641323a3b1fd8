// The labelled issue hears back whatever happened: publish() comments with the pull request when
// it opens one; every other ending of a run (nothing reproduced, nothing validated, a fix that was
// not published) is this comment, saying why and where the evidence is. It is the same one comment
// per incident (same marker), so a later run edits it rather than adding another.
import type { ActionContext } from '../../schemas/action.ts';
import type { Run } from '../../schemas/run.ts';
import type { Config } from '../config.ts';
import { PublishError } from '../publish/errors.ts';
import { upsertIssueComment } from '../publish/pull-request.ts';
import { publisherFor } from '../publish/service.ts';
import { code, escapeText } from '../repair/proposal/index.ts';
import type { Logger } from '../telemetry.ts';

function clip(text: string, max = 1000): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The comment's text for a run that opened no pull request. `note` is where the fix went instead. */
export function issueResultText(run: Run, context: ActionContext, note?: string): string {
  const lines: string[] = [];
  if (run.status === 'fixed') {
    lines.push(`tracefix found a validated fix for this issue but opened no pull request: ${escapeText(clip(note ?? 'publishing is off'))}.`);
  } else if (run.status === 'not-reproduced') {
    lines.push(`tracefix could not fix this issue: it could not reproduce the failure${run.reason ? `: ${escapeText(clip(run.reason))}` : '.'}`);
  } else {
    const tried = run.candidates.length;
    lines.push(`tracefix reproduced this failure but no fix validated${tried ? ` (${tried} candidate${tried === 1 ? '' : 's'} tried)` : ''}${run.reason ? `: ${escapeText(clip(run.reason))}` : '.'}`);
  }
  const repro = run.reproduction?.status === 'reproduced' ? run.reproduction : undefined;
  if (repro) lines.push('', `Reproduction: ${code(repro.testId)} fails with ${code(`${repro.signature.type}: ${repro.signature.message}`)}.`);
  const where = context.runId ? `${context.serverUrl}/${context.repository.fullName}/actions/runs/${context.runId}` : undefined;
  lines.push('', `Incident ${code(run.incident.id)}; the evidence is in the workflow run's summary and artifacts${where ? ` (${where})` : ''}.`);
  return lines.join('\n');
}

/** Comments on the issue; returns what happened, for the step's log and summary. */
export async function commentOnIssue(input: { config: Config; log: Logger; context: ActionContext; issueNumber: number; run: Run; note?: string }): Promise<string> {
  const { owner, name } = input.context.repository;
  const clients = publisherFor(input.config, input.log);
  if (!clients) return `no github-token was given, so issue #${input.issueNumber} was not told the result`;
  try {
    const gh = await clients.forRepo(owner, name);
    await upsertIssueComment(gh, { owner, repo: name, number: input.issueNumber }, input.run.incident.id, issueResultText(input.run, input.context, input.note));
    return `commented on issue #${input.issueNumber} with the result`;
  } catch (error) {
    // A token without issues: write still leaves the result in the summary and the artifacts.
    if (error instanceof PublishError) return `could not comment on issue #${input.issueNumber}: ${error.message}`;
    throw error;
  }
}
