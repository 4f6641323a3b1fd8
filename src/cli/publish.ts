// `tracefix publish`: the output directory of `tracefix repair` → one pull request on GitHub, the
// same publish() the service's worker calls. A second call with the same run updates the same PR.
// Exit 0 when a PR was opened or updated (its URL printed), 1 when it was not published (the
// reason printed), 2 for bad input.
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { AppError, UsageError } from '../errors.ts';
import { PublishError } from '../publish/errors.ts';
import { parsePublishMeta } from '../publish/cli-meta.ts';
import { parseRepo, publish } from '../publish/publish.ts';
import { sandboxRevalidation } from '../publish/revalidate.ts';
import { readRunOutputs } from '../publish/run-outputs.ts';
import { publisherFor } from '../publish/service.ts';
import { createLogger } from '../telemetry.ts';

const USAGE = `Usage: tracefix publish --run <dir> --repo <owner/name> [--ready] [--base <branch>]
                        [--bundle <bundle.json>] [--sandbox docker|local]

Publishes the output directory of \`tracefix repair\` (result.json, patch.diff, the test, pr.md) as
one pull request: a draft unless --ready, on the default branch or .tracefix.yml's publish.base
unless --base. When the base has moved past the run's commit, the fix is re-validated there in the
sandbox first. --bundle adds the trace id and the incident's GitHub or Sentry issue links.
Needs TRACEFIX_GITHUB_TOKEN or TRACEFIX_GITHUB_APP_ID with its private key, and
TRACEFIX_GITHUB_API_URL for GitHub Enterprise Server. Exit 0 published (the PR's URL printed),
1 not published (the reason printed), 2 bad input.
`;

function parse(args: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        run: { type: 'string' },
        repo: { type: 'string' },
        ready: { type: 'boolean', default: false },
        base: { type: 'string' },
        bundle: { type: 'string' },
        sandbox: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help' as const;
  const missing = (['run', 'repo'] as const).filter((k) => !values[k]);
  if (missing.length) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}\n\n${USAGE}`);
  if (values.sandbox !== undefined && values.sandbox !== 'docker' && values.sandbox !== 'local') throw new UsageError(`--sandbox must be docker or local, got ${JSON.stringify(values.sandbox)}`);
  if (values.base !== undefined && !/^[^\s~^:?*[\\]+$/.test(values.base)) throw new UsageError(`--base ${JSON.stringify(values.base)} is not a branch name`);
  return { ...values, run: values.run!, repo: values.repo! };
}

export async function publishCommand(args: string[]): Promise<number> {
  const parsed = parse(args);
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const clients = publisherFor(config, log);
  if (!clients) throw new UsageError('set TRACEFIX_GITHUB_TOKEN, or TRACEFIX_GITHUB_APP_ID and TRACEFIX_GITHUB_APP_PRIVATE_KEY (or _FILE), to publish');
  try {
    const { owner, name } = parseRepo(parsed.repo);
    const outputs = await readRunOutputs(path.resolve(parsed.run));
    const meta = parsed.bundle ? await parsePublishMeta(parsed.bundle) : {};
    const repoUrl = `${config.github.apiUrl === 'https://api.github.com' ? 'https://github.com' : config.github.apiUrl.replace(/\/api\/v3$/, '')}/${owner}/${name}.git`;
    const result = await publish({
      clients,
      repo: `${owner}/${name}`,
      ...outputs,
      ...meta,
      mode: parsed.ready ? 'ready' : 'draft',
      // The person running this command is the approval a repository's policy may ask for.
      approval: { by: 'tracefix publish (command line)', at: new Date().toISOString() },
      ...(parsed.base ? { base: parsed.base } : {}),
      labels: config.publish.labels,
      reviewers: config.publish.reviewers,
      ...(config.publish.author ? { author: config.publish.author } : {}),
      rerunRequested: true,
      revalidate: async (at) => {
        const sandboxConfig = parsed.sandbox ? { ...config, sandbox: { ...config.sandbox, driver: parsed.sandbox as 'docker' | 'local' } } : config;
        const token = await clients.credentialFor(owner, name);
        return sandboxRevalidation({ config: sandboxConfig, repo: { url: repoUrl, token }, run: outputs.run, diff: outputs.diff, log })(at);
      },
      log,
    });
    if (result.status === 'published') {
      process.stderr.write(`${result.action} ${result.pr.draft ? 'draft ' : ''}PR #${result.pr.number} from ${result.branch} into ${result.base}${result.revalidated ? ' (re-validated on the base head)' : ''}\n`);
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(`${result.pr.url}\n`);
      return 0;
    }
    process.stdout.write(`not published: ${result.reason}\n`);
    return 1;
  } catch (error) {
    if (error instanceof PublishError) {
      if (error.kind === 'input') throw new UsageError(error.message);
      throw new AppError('TF_PUBLISH', `not published: ${error.message}`);
    }
    throw error;
  }
}
