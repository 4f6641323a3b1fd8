// Where the Action's fix goes, through the same publish() the service and `tracefix publish` use:
// a labelled issue's fix and a pushed branch's fix become one pull request (draft unless
// `publish: ready`); a fork's pull request gets no write token, so its fix stays in the summary
// and the artifacts. A fix for a same-repository pull request is a draft PR against its branch too:
// posting it as review suggestions on the PR's own lines is prepared (suggestions.ts) but not yet
// sent, so the step says where the fix went.
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

export interface ActionPublication {
  prUrl?: string;
  /** Where the fix went, or why it went nowhere, for the summary. */
  note: string;
}

function baseOf(mode: ActionMode): { base?: string } | string {
  if (mode.kind !== 'test') return {};
  const target = mode.target;
  if (target.kind === 'fork') return `pull request #${target.pullNumber} comes from a fork, whose workflows get no write token: the fix is in this summary and the artifacts only`;
  if (target.kind === 'none') return `no pull request was opened: ${target.why}`;
  return { base: target.kind === 'branch' ? target.branch : target.headRef };
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
