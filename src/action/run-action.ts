// `tracefix action`'s work, given the runner's context: decide the mode, turn the issue or the
// failing test into a bundle, run the same reproduce → repair stages as `tracefix repair`, leave
// the outputs in RUNNER_TEMP/tracefix/, and report through the runner's files (outputs, summary)
// and workflow commands (masks, the crash annotation). Publishing is publish-step.ts.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ActionContext } from '../../schemas/action.ts';
import type { Alert } from '../../schemas/alert.ts';
import type { ReproTest } from '../../schemas/bundle.ts';
import type { Run } from '../../schemas/run.ts';
import { assembleOfflineBundle } from '../assemble/offline-bundle.ts';
// The same recording `tracefix bundle --from-test` does: both are entry points over one function.
import { alertFromFailingTest } from '../cli/bundle-from-test.ts';
import type { Config } from '../config.ts';
import { parseGithubDelivery, senderMayWrite } from '../intake/github/index.ts';
import { resolveEngines } from '../run/engines.ts';
import { writeRunOutputs } from '../repair/proposal/index.ts';
import { runIncident } from '../run/run-incident.ts';
import { TestPassedError } from '../reproduce/from-test.ts';
import type { Logger } from '../telemetry.ts';
import { actionMode, type ActionMode } from './mode.ts';
import type { ActionStatus } from './summary.ts';

export interface ActionOutcome {
  status: ActionStatus;
  reason?: string;
  run?: Run;
  incidentId?: string;
  /** The directory holding result.json, patch.diff, pr.md and the test. */
  outputsDir: string;
  patchFile?: string;
  mode: ActionMode;
}

export interface ActionDeps {
  context: ActionContext;
  config: Config;
  log: Logger;
  /** Progress lines for the step's log. */
  progress: (line: string) => void;
}

/** The alert of a labelled issue, or a reason to skip (untrusted labeller, a closed issue...). */
async function issueAlert(deps: ActionDeps, mode: Extract<ActionMode, { kind: 'issue' }>): Promise<Alert | string> {
  const { context, config } = deps;
  const login = mode.sender ?? '';
  // The label starts code execution from the repository: only people who can push may add it.
  const mayWrite = await senderMayWrite(config, { owner: context.repository.owner, repo: context.repository.name, login });
  if (!mayWrite) return `${login || 'the labeller'} may not write to ${context.repository.fullName}, so the label does not start a repair`;
  const outcome = parseGithubDelivery(
    {
      raw: mode.raw,
      headers: { 'x-github-event': 'issues', 'x-github-delivery': `action-${context.runId ?? createHash('sha256').update(mode.raw).digest('hex').slice(0, 16)}` },
      receivedAt: new Date(),
    },
    { label: context.inputs.label },
  );
  return outcome.kind === 'alert' ? outcome.alert : outcome.reason;
}

async function failingTestAlert(deps: ActionDeps, command: string): Promise<{ alert: Alert; reproTest: ReproTest } | string> {
  try {
    return await alertFromFailingTest({ config: deps.config, repoDir: deps.context.workspace, test: command, driver: deps.context.inputs.sandbox, log: deps.log });
  } catch (error) {
    if (error instanceof TestPassedError) return 'the tests pass: there is no failure to repair';
    throw error;
  }
}

export async function runAction(deps: ActionDeps): Promise<ActionOutcome> {
  const { context, config, log, progress } = deps;
  const outputsDir = path.join(context.runnerTemp, 'tracefix');
  await fs.mkdir(outputsDir, { recursive: true });
  const mode = actionMode(context, await fs.readFile(context.eventPath));
  if (mode.kind === 'skipped') return { status: 'skipped', reason: mode.reason, outputsDir, mode };

  let alert: Alert;
  let reproTest: ReproTest | undefined;
  if (mode.kind === 'issue') {
    progress(`issue #${mode.issueNumber} was labelled ${context.inputs.label}`);
    const found = await issueAlert(deps, mode);
    if (typeof found === 'string') return { status: 'skipped', reason: found, outputsDir, mode };
    alert = found;
  } else {
    progress(`running the test command: ${mode.command}`);
    const found = await failingTestAlert(deps, mode.command);
    if (typeof found === 'string') return { status: 'skipped', reason: found, outputsDir, mode };
    ({ alert, reproTest } = found);
    progress(`the failing test is the incident: ${alert.title}`);
  }

  const assembled = await assembleOfflineBundle({
    config,
    alerts: [alert],
    ...(reproTest ? { reproTest } : {}),
    repo: { dir: context.workspace, commit: context.sha },
  });
  await fs.writeFile(path.join(outputsDir, 'bundle.json'), `${assembled.canonicalJson}\n`);
  const { engines, reproduceFallback } = await resolveEngines(context.inputs.engine, config, { artifactsDir: outputsDir });
  const run = await runIncident({
    config,
    bundle: assembled.bundle,
    bundleSha256: assembled.sha256,
    repo: { url: context.workspace },
    engines,
    ...(reproduceFallback ? { reproduceFallback } : {}),
    driver: context.inputs.sandbox,
    artifactsDir: outputsDir,
    log,
    progress,
  });
  await writeRunOutputs(outputsDir, run);
  log.debug({ run: run.id, status: run.status }, 'Action run finished');
  return {
    status: run.status,
    ...(run.reason ? { reason: run.reason } : {}),
    run,
    incidentId: run.incident.id,
    outputsDir,
    ...(run.proposal ? { patchFile: path.join(outputsDir, 'patch.diff') } : {}),
    mode,
  };
}
