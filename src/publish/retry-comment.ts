// `/tracefix retry` (optionally `--engine templates|llm|auto`) in a comment on a tracefix pull
// request, or on the GitHub issue an incident came from, starts a new run of that incident, the
// way POST /api/incidents/:id/retry does. The same trust rule as the issue label applies: only a
// sender who may write to the repository (sender-trust.ts) may start one, because a run executes
// the repository's code.
import { z } from 'zod';
import type { Config } from '../config.ts';
import { senderMayWrite } from '../intake/github/index.ts';
import type { Db } from '../store/db.ts';
import { RetryError, retryIncident, type RetryEngine, type RetryResult } from '../store/retry-incident.ts';

const IssueComment = z.object({
  action: z.string(),
  comment: z.object({ body: z.string().max(65_536) }),
  issue: z.object({ number: z.number().int().positive() }),
  repository: z.object({ full_name: z.string().max(300) }),
  sender: z.object({ login: z.string().max(100) }),
});

const COMMAND = /^\s*\/tracefix\s+retry(?:\s+--engine[= ](auto|templates|llm))?\s*$/m;

export type RetryCommentOutcome = { kind: 'retried'; result: RetryResult } | { kind: 'ignored'; reason: string };

/** The incident a comment's issue or pull request belongs to: its tracefix PR, else its GitHub issue. */
async function incidentOf(db: Db, repo: string, number: number): Promise<string | undefined> {
  const [pr] = await db.query<{ incidentId: string }>(
    `select incident_id as "incidentId" from publications where lower(repo) = lower($1) and pr_number = $2 order by created_at desc limit 1`,
    [repo, number],
  );
  if (pr) return pr.incidentId;
  const [issue] = await db.query<{ incidentId: string }>(
    `select incident_id as "incidentId" from alerts
      where source = 'github' and alert->'sourceRefs'->>'issue_number' = $2 and lower(alert->'sourceRefs'->>'repo') = lower($1)
      order by id desc limit 1`,
    [repo, String(number)],
  );
  return issue?.incidentId;
}

/** undefined: not an `issue_comment` carrying the command (nothing to do). */
export async function handleRetryComment(deps: { db: Db; config: Config; fetch?: typeof fetch }, event: string | undefined, raw: Buffer): Promise<RetryCommentOutcome | undefined> {
  if (event !== 'issue_comment') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = IssueComment.safeParse(body);
  if (!parsed.success || parsed.data.action !== 'created') return undefined;
  const command = COMMAND.exec(parsed.data.comment.body);
  if (!command) return undefined;
  const { issue, repository, sender } = parsed.data;
  const [owner = '', name = ''] = repository.full_name.split('/');
  if (!(await senderMayWrite(deps.config, { owner, repo: name, login: sender.login }, deps.fetch))) {
    return { kind: 'ignored', reason: `${sender.login} may not write to ${repository.full_name}, so /tracefix retry is ignored` };
  }
  const incidentId = await incidentOf(deps.db, repository.full_name, issue.number);
  if (!incidentId) return { kind: 'ignored', reason: `#${issue.number} is not a tracefix incident's issue or pull request` };
  try {
    const engine = command[1] as RetryEngine | undefined;
    return { kind: 'retried', result: await retryIncident(deps.db, deps.config, incidentId, { ...(engine ? { engine } : {}), requestedBy: `github:${sender.login}` }) };
  } catch (error) {
    if (error instanceof RetryError) return { kind: 'ignored', reason: error.message };
    throw error;
  }
}
