// Where the Action's fix goes: a labelled issue's fix and a pushed branch's fix become one pull
// request through the same publish() the service and `tracefix publish` use (draft unless
// `publish: ready`); a same-repository pull request's fix becomes a review with suggestion blocks
// on its own lines (review-step.ts), under the same publish policy (publish/fix-policy.ts); a
// fork's pull request gets no write token, so its fix stays in the summary and the artifacts, and
// the step says so.
import path from 'node:path';
import type { ActionContext } from '../../schemas/action.ts';
import type { Config } from '../config.ts';
import { parsePublishMeta } from '../publish/cli-meta.ts';
import { PublishError } from '../publish/errors.ts';
import { publish } from '../publish/publish.ts';
import { sandboxRevalidation } from '../publish/revalidate.ts';
import { readRunOutputs } from '../publish/run-outputs.ts';
import { publisherFor } from '../publish/service.ts';
import type { Logger } from '../telemetry.ts';
import type { ActionMode } from './mode.ts';
import { postReview } from './review-step.ts';

export interface ActionPublication {
  prUrl?: string;
  /** Where the fix went, or why it went nowhere, for the summary. */
  note: string;
}

export const FORK_NOTE = (pullNumber: number) => `pull request #${pullNumber} comes from a fork, whose workflows get no write token: the fix is in this summary and the artifacts only`;

function baseOf(mode: ActionMode): { base?: string } | { review: { pullNumber: number; headSha: string } } | string {
  if (mode.kind !== 'test') return {};
  const target = mode.target;
  if (target.kind === 'fork') return FORK_NOTE(target.pullNumber);
  if (target.kind === 'none') return `no pull request was opened: ${target.why}`;
  if (target.kind === 'review') return { review: { pullNumber: target.pullNumber, headSha: target.headSha } };
  return { base: target.branch };
}

export async function publishFromAction(input: { context: ActionContext; config: Config; log: Logger; mode: ActionMode; outputsDir: string }): Promise<ActionPublication> {
  const { context, config, log, mode } = input;
  if (context.inputs.publish === 'off') return { note: 'publishing is off (publish: off): the fix is in this summary and the artifacts' };
  const where = baseOf(mode);
  if (typeof where === 'string') return { note: where };
  const clients = publisherFor(config, log);
  if (!clients) return { note: 'no github-token was given, so no pull request was opened' };
  const outputs = await readRunOutputs(input.outputsDir);
  const meta = await parsePublishMeta(path.join(input.outputsDir, 'bundle.json'));
  try {
    if ('review' in where) {
      const { pullNumber, headSha } = where.review;
      const review = await postReview({ clients, owner: context.repository.owner, repo: context.repository.name, pullNumber, headSha, outputs, mode: context.inputs.publish, log });
      if (review.status !== 'posted') return { note: `no review was posted on pull request #${pullNumber}: ${review.reason}; the fix is in this summary and the artifacts` };
      const parts = [`${review.suggestions} suggestion${review.suggestions === 1 ? '' : 's'} on its lines`, ...(review.elsewhere > 0 ? [`${review.elsewhere} change${review.elsewhere === 1 ? '' : 's'} outside its diff in the review body`] : [])];
      return { prUrl: review.url, note: `posted a review on pull request #${pullNumber}: ${parts.join(', ')}` };
    }
    const result = await publish({
      clients,
      repo: context.repository.fullName,
      ...outputs,
      ...meta,
      mode: context.inputs.publish,
      ...where,
      labels: config.publish.labels,
      reviewers: config.publish.reviewers,
      ...(config.publish.author ? { author: config.publish.author } : {}),
      revalidate: sandboxRevalidation({ config, repo: { url: context.workspace }, run: outputs.run, diff: outputs.diff, log }),
      log,
    });
    if (result.status === 'published') return { prUrl: result.pr.url, note: `${result.action} ${result.pr.draft ? 'draft ' : ''}pull request #${result.pr.number} into ${result.base}` };
    return { note: `not published: ${result.reason}` };
  } catch (error) {
    // A broken token or a missing permission: the fix still stands in the summary and artifacts.
    if (error instanceof PublishError) return { note: `not published: ${error.message}` };
    throw error;
  }
}
