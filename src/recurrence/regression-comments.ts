// After the watch (watch.ts) records a regression, the merged PR is told, with the evidence of the
// alert that came back (src/publish/regression-comment.ts). Separate from the watch's guarded
// update on purpose: GitHub is called outside any transaction, and a post that fails (GitHub down,
// a missing permission) is retried on the next pass until it succeeds, from the database's record
// of which regressions are still untold (fix_merges.regression_commented_at, migration 012).
import { Alert } from '../../schemas/alert.ts';
import { alertCommit } from '../bisect/good-releases.ts';
import type { GithubClients } from '../publish/github-client.ts';
import { commentRegression, type RegressionEvidence } from '../publish/regression-comment.ts';
import type { Queryable } from '../store/db.ts';
import { claimRegressionComment, listPendingRegressionComments, markRegressionCommented, releaseRegressionComment } from '../store/fix-merge-store.ts';
import type { Logger } from '../telemetry.ts';

export interface RegressionCommentDeps {
  db: Queryable;
  clients: GithubClients;
  releaseCommits: Readonly<Record<string, string>>;
  /** TRACEFIX_PUBLIC_URL: the comment links the incident's page when set. */
  publicUrl?: string;
  log?: Logger;
}

export type RegressionCommentOutcome = { incidentId: string; alertId: number; result: 'posted' | 'found' | 'claimed-elsewhere' | 'failed'; commentId?: number; detail?: string };

export async function commentRegressions(deps: RegressionCommentDeps): Promise<RegressionCommentOutcome[]> {
  const outcomes: RegressionCommentOutcome[] = [];
  for (const pending of await listPendingRegressionComments(deps.db)) {
    const { incidentId, alertId } = pending;
    if (!(await claimRegressionComment(deps.db, incidentId, alertId))) {
      outcomes.push({ incidentId, alertId, result: 'claimed-elsewhere' });
      continue;
    }
    const parsed = Alert.partial().safeParse(pending.alert);
    const alert = parsed.success ? parsed.data : {};
    const commit = alertCommit(alert, deps.releaseCommits);
    const evidence: RegressionEvidence = {
      incidentId,
      alertId,
      mergeSha: pending.mergeSha,
      alert,
      receivedAt: pending.receivedAt,
      ...(commit ? { commit } : {}),
      ...(deps.publicUrl ? { incidentUrl: `${deps.publicUrl.replace(/\/+$/, '')}/incidents/${encodeURIComponent(incidentId)}` } : {}),
    };
    const [owner = '', repo = ''] = pending.repo.split('/');
    try {
      const gh = await deps.clients.forRepo(owner, repo);
      const { id, created } = await commentRegression(gh, { owner, repo, number: pending.prNumber }, evidence);
      await markRegressionCommented(deps.db, incidentId, alertId);
      deps.log?.info({ incidentId, alertId, repo: pending.repo, pr: pending.prNumber, created }, 'Pull request told of the regression');
      outcomes.push({ incidentId, alertId, result: created ? 'posted' : 'found', commentId: id });
    } catch (error) {
      await releaseRegressionComment(deps.db, incidentId, alertId);
      const detail = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error);
      deps.log?.warn({ incidentId, alertId, repo: pending.repo, pr: pending.prNumber, detail }, 'Regression comment failed; retried on the next pass');
      outcomes.push({ incidentId, alertId, result: 'failed', detail });
    }
  }
  return outcomes;
}
