// `tracefix action`: the GitHub Actions step (.github/actions/tracefix/action.yml runs it), also
// usable on other CI systems that set the same variables. Reads the runner's variables and the
// step's INPUT_* variables, masks the secrets before anything is printed, runs the incident, and
// reports through the runner: outputs (status, pr-url, patch, incident), the job summary, an
// error annotation at the crash frame. Exit 0 whether or not a fix was found (1 when
// fail-on-unfixed is true and none was); 2 for a broken setup, with the reason.
import * as core from '@actions/core';
import pino from 'pino';
import { runAction } from '../action/run-action.ts';
import { actionConfigOverrides } from '../action/config-overrides.ts';
import { commentOnIssue } from '../action/issue-comment.ts';
import { publishFromAction } from '../action/publish-step.ts';
import { crashAnnotation, jobSummary } from '../action/summary.ts';
import { loadActionContext, loadConfig } from '../config.ts';
import { createLogger } from '../telemetry.ts';

const USAGE = `Usage: tracefix action

Runs as a GitHub Actions step: reads GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_WORKSPACE,
GITHUB_REPOSITORY, GITHUB_SHA, RUNNER_TEMP (and the other runner variables) and the step's inputs
as INPUT_<NAME> variables (INPUT_GITHUB-TOKEN, INPUT_TEST-COMMAND, INPUT_LABEL, INPUT_ENGINE,
INPUT_SANDBOX, INPUT_PUBLISH, INPUT_OPENAI-BASE-URL, INPUT_MODEL, INPUT_OPENAI-API-KEY,
INPUT_FAIL-ON-UNFIXED). A labelled issue or a failing test-command becomes the incident.
`;

export async function action(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const context = loadActionContext();
  // Before anything else is printed: the runner replaces these with *** in every later line.
  for (const secret of [context.inputs.githubToken, context.inputs.openaiApiKey]) if (secret) core.setSecret(secret);
  const config = loadConfig(undefined, actionConfigOverrides(context));
  const log = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const outcome = await runAction({ context, config, log, progress: (line) => core.info(line) });
  const publication = outcome.status === 'fixed' ? await publishFromAction({ context, config, log, mode: outcome.mode, outputsDir: outcome.outputsDir }) : undefined;
  if (publication) core.info(`tracefix: ${publication.note}`);
  // The labelled issue hears back also when no pull request was opened (publish() comments when one is).
  const mode = outcome.mode;
  const issueNote = mode.kind === 'issue' && outcome.run && !publication?.prUrl
    ? await commentOnIssue({ config, log, context, issueNumber: mode.issueNumber, run: outcome.run, ...(publication ? { note: publication.note } : {}) })
    : undefined;
  if (issueNote) core.info(`tracefix: ${issueNote}`);

  if (outcome.run) {
    const annotation = crashAnnotation(outcome.run);
    if (annotation) core.error(annotation.message, { title: annotation.title, ...(annotation.file ? { file: annotation.file } : {}), ...(annotation.line ? { startLine: annotation.line } : {}) });
  }
  core.info(`tracefix: ${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}`);
  if (context.stepSummary) {
    await core.summary
      .addRaw(
        jobSummary({
          status: outcome.status,
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          ...(outcome.run ? { run: outcome.run } : {}),
          ...(publication?.prUrl ? { prUrl: publication.prUrl } : {}),
          ...(publication || issueNote ? { published: [publication?.note, issueNote].filter(Boolean).join('; ') } : {}),
          outputsDir: outcome.outputsDir,
        }),
      )
      .write();
  }
  if (context.outputFile) {
    core.setOutput('status', outcome.status);
    core.setOutput('pr-url', publication?.prUrl ?? '');
    core.setOutput('patch', outcome.patchFile ?? '');
    core.setOutput('incident', outcome.incidentId ?? '');
  }
  const unfixed = outcome.status === 'not-fixed' || outcome.status === 'not-reproduced';
  return context.inputs.failOnUnfixed && unfixed ? 1 : 0;
}
