// agentReproduce: when test synthesis could not reproduce an incident, the model writes the
// reproduction test. It cannot edit source files, only write tests where the repository keeps
// them, and its test counts only through the same signature and flake gates a synthesized test
// passes. The winning test stays in the workspace (as a synthesized one does); every other file
// the agent wrote is removed. The result is a Reproduction whose agent attempts have strategy
// 'agent', numbered after the synthesis' attempts.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Bundle } from '../../schemas/bundle.ts';
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { ReproAttempt, Reproduction } from '../../schemas/run.ts';
import type { LlmConfig } from '../config.ts';
import { crashFunctions, gateRuns } from '../reproduce/gates.ts';
import { signatureFromBundle } from '../reproduce/signature.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { instrument, type Logger } from '../telemetry.ts';
import { findTestFiles } from '../workspace/path-policy.ts';
import { frameLocations } from '../repair/localize/frames.ts';
import { runAttempts } from './attempts.ts';
import { createBudget, type Budget, type BudgetUsage } from './budget.ts';
import { capText } from './data-block.ts';
import { EditLedger } from './edits.ts';
import { toolContext } from './context.ts';
import { codeBlocks } from './evidence.ts';
import { createModel } from './model.ts';
import { reproducePrompt, REPRODUCE_SYSTEM_PROMPT } from './prompt.ts';
import { stopText } from './stop.ts';
import { writeTestTool } from './tools/edit.ts';
import { READ_TOOLS } from './tools/read.ts';
import { TEST_TOOLS } from './tools/run-tests.ts';
import { showDiffTool } from './tools/submit.ts';
import { submitReproductionTool } from './tools/submit-reproduction.ts';
import { TranscriptRecorder } from './transcript.ts';

export interface AgentReproduceInput {
  llm: LlmConfig;
  bundle: Bundle;
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  /** Workspace-relative files of the checkout (the signature maps frames onto them). */
  workspaceFiles: readonly string[];
  /** Files tracked at the incident's commit. @defaultValue workspaceFiles */
  trackedFiles?: readonly string[];
  /** What synthesis found: its signature and attempts are kept. */
  previous?: Reproduction;
  /** Shared with the repair that follows, so the caps hold for the whole run. */
  budget?: Budget;
  artifactsDir?: string;
  signal?: AbortSignal;
  log?: Logger;
  progress?: (message: string) => void;
}

export interface AgentReproduceResult {
  reproduction: Reproduction;
  /** `reproduced`, `budget: …`, `stuck: …`, … */
  stopped: string;
  artifacts: { transcript: string };
  usage: BudgetUsage;
}

/** An existing test to copy the framework and import style from: one named like the crash file, else the first. */
async function exampleTest(sandbox: Sandbox, tests: readonly string[], crashFile: string | undefined): Promise<{ file: string; content: string } | undefined> {
  const stem = crashFile ? path.posix.basename(crashFile).replace(/\.[^.]+$/, '') : '';
  const file = tests.find((t) => stem && path.posix.basename(t).includes(stem)) ?? tests[0];
  if (!file) return undefined;
  const content = await sandbox.readFile(file).catch(() => undefined);
  return content === undefined ? undefined : { file, content: capText(content, 4000, 'read the file for the rest').text };
}

export function agentReproduce(input: AgentReproduceInput): Promise<AgentReproduceResult> {
  return instrument('reproduce.agent', { 'tracefix.incident_id': input.bundle.incident.id, 'tracefix.model': input.llm.model }, () => run(input));
}

async function run(input: AgentReproduceInput): Promise<AgentReproduceResult> {
  const { llm, bundle, sandbox, repoConfig: config } = input;
  const budget = input.budget ?? createBudget(llm);
  const previousAttempts = input.previous?.attempts ?? [];
  const signature = input.previous?.signature ?? signatureFromBundle(bundle, input.workspaceFiles);
  if (!bundle.exception.type && !signature.frame) {
    throw new Error('agentReproduce needs an exception to reproduce: the bundle has none');
  }
  const dir = input.artifactsDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tracefix-agent-')));
  const ledger = new EditLedger(sandbox);
  const tctx = toolContext({ sandbox, repoConfig: config, trackedFiles: input.trackedFiles ?? input.workspaceFiles, bundle, ...(input.log ? { log: input.log } : {}) }, ledger);
  const baseTools = [...READ_TOOLS, writeTestTool, ...TEST_TOOLS, showDiffTool];
  const transcript = new TranscriptRecorder({ kind: 'reproduce', incidentId: bundle.incident.id, llm, budget, tools: [...baseTools.map((t) => t.name), 'submit_reproduction'] });
  const attempts: ReproAttempt[] = [...previousAttempts];
  // Set from the submit tool's callback (a holder, so control-flow narrowing cannot miss it).
  const found: { winner?: { attempt: ReproAttempt; content: string } } = {};
  const current = () => found.winner;
  let stopped = 'exhausted';
  const model = createModel(llm);
  try {
    const functionAt = await crashFunctions(sandbox, config, signature, input.workspaceFiles);
    const frames = frameLocations(bundle, input.workspaceFiles);
    const user = reproducePrompt({
      bundle,
      signature,
      repoConfig: config,
      previous: previousAttempts,
      code: await codeBlocks(sandbox, frames),
      ...(await exampleTest(sandbox, findTestFiles(config, [...tctx.existingTests]), signature.frame?.file).then((example) => (example ? { example } : {}))),
    });
    const last = await runAttempts({
      llm, budget, model, transcript, ledger, context: tctx, system: REPRODUCE_SYSTEM_PROMPT, user, label: 'llm reproduction attempt',
      toolsFor: (_n, recorder) => [...baseTools, submitReproductionTool({
        signature,
        workspaceFiles: input.workspaceFiles,
        ...(functionAt ? { functionAt } : {}),
        nextAttempt: () => attempts.length + 1,
        onAttempt: (attempt, content) => {
          attempts.push(attempt);
          recorder.record.submitted.push(attempt.testId ?? attempt.testFile ?? String(attempt.n));
          recorder.add({ type: 'submit', id: attempt.testId ?? '', files: attempt.testFile ? [attempt.testFile] : [], status: attempt.outcome === 'reproduced' ? 'reproduced' : 'rejected', ...(attempt.reason ? { reason: attempt.reason } : {}) });
          if (attempt.outcome === 'reproduced') found.winner = { attempt, content };
        },
      })],
      // Every file the agent wrote is gone; the winning test goes back.
      afterReset: async () => {
        const won = current();
        if (won?.attempt.testFile) await sandbox.writeFile(won.attempt.testFile, won.content);
      },
      done: () => current() !== undefined,
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.log ? { log: input.log } : {}),
      ...(input.progress ? { progress: input.progress } : {}),
    });
    stopped = current() ? 'reproduced' : last ? stopText(last) : stopped;
  } finally {
    transcript.finish(stopped);
  }
  const transcriptPath = await transcript.write(dir);
  const winner = current();
  const base = { stopped, artifacts: { transcript: transcriptPath }, usage: transcript.usage() };
  if (winner?.attempt.testFile && winner.attempt.testId) {
    return {
      ...base,
      reproduction: {
        status: 'reproduced',
        source: 'agent',
        framework: config.framework,
        testFile: winner.attempt.testFile,
        testId: winner.attempt.testId,
        testContent: winner.content,
        signature,
        runs: gateRuns(config),
        attempts,
      },
    };
  }
  const before = input.previous?.status === 'not-reproduced' ? `${input.previous.reason}; ` : '';
  return { ...base, reproduction: { status: 'not-reproduced', reason: `${before}the agent did not reproduce it (${stopped})`.slice(0, 4096), signature, attempts } };
}
