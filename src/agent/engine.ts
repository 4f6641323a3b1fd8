// The LLM repair engine: attempts (fresh conversations with another seed and a higher
// temperature) while the run's budget lasts. Every submission goes through the repair core's
// validation; the engine hands back every candidate validation judged, the model's root cause
// for each, why it stopped, the transcript and the usage. Between attempts and at the end the
// workspace goes back to how the engine found it: nothing the model wrote outlives the run
// except as a validated candidate's patch.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Candidate } from '../../schemas/run.ts';
import type { LlmConfig } from '../config.ts';
import { instrument } from '../telemetry.ts';
import type { EngineContext, EngineResult, RepairEngine } from '../repair/types.ts';
import { createBudget, type Budget } from './budget.ts';
import { runAttempts } from './attempts.ts';
import { toolContext } from './context.ts';
import { EditLedger } from './edits.ts';
import { codeBlocks } from './evidence.ts';
import { createModel, type Model } from './model.ts';
import { repairPrompt, REPAIR_SYSTEM_PROMPT } from './prompt.ts';
import { stopText } from './stop.ts';
import { EDIT_TOOLS } from './tools/edit.ts';
import { READ_TOOLS } from './tools/read.ts';
import { describeResults, runTestsIn, TEST_TOOLS } from './tools/run-tests.ts';
import { showDiffTool, submitTool } from './tools/submit.ts';
import type { Tool, ToolContext } from './tools/types.ts';
import { TranscriptRecorder } from './transcript.ts';

export interface AgentEngineOptions {
  /** Share one budget across the stages of a run (agentReproduce, then repair). */
  budget?: Budget;
  /** Where transcript.json goes when the context names no artifacts directory (default: a new temp dir). */
  artifactsDir?: string;
  /** Keep going after a validated candidate, for selection to choose among more. @defaultValue false */
  continueAfterValidated?: boolean;
  /** Rejected submissions per attempt. @defaultValue 5 */
  maxSubmits?: number;
}

async function failingOutput(ctx: ToolContext, testId: string): Promise<string> {
  const results = await runTestsIn(ctx, [testId]);
  const test = results.tests.find((t) => t.id === testId);
  if (test?.failure) return [test.failure.type ? `${test.failure.type}: ${test.failure.message}` : test.failure.message, test.failure.stack ?? ''].join('\n').trim();
  return describeResults(results, new Set()).text || `the reproduction test ${test?.status ?? 'did not run'} just now`;
}

export function createAgentEngine(llm: LlmConfig, options: AgentEngineOptions = {}): RepairEngine {
  return {
    name: 'llm',
    run: (context) => instrument('repair.agent', { 'tracefix.incident_id': context.bundle.incident.id, 'tracefix.model': llm.model }, () => runAgent(llm, options, context, createModel(llm))),
  };
}

async function runAgent(llm: LlmConfig, options: AgentEngineOptions, context: EngineContext, model: Model): Promise<EngineResult> {
  const budget = options.budget ?? createBudget(llm);
  const ledger = new EditLedger(context.sandbox);
  const repro = context.reproduction;
  const tctx = toolContext(context, ledger, { ...(repro.testFile ? { testFile: repro.testFile } : {}), testId: repro.testId });
  const candidates: Candidate[] = [];
  const rootCauses = new Map<string, string>();
  const baseTools: Tool[] = [...READ_TOOLS, ...EDIT_TOOLS, ...TEST_TOOLS, showDiffTool];
  const transcript = new TranscriptRecorder({ kind: 'repair', incidentId: context.bundle.incident.id, llm, budget, tools: [...baseTools.map((t) => t.name), 'submit'] });
  const dir = context.artifactsDir ?? options.artifactsDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tracefix-agent-')));

  let stopped = 'exhausted';
  let transcriptPath: string | undefined;
  const validated = () => candidates.some((c) => c.status === 'validated');
  try {
    const user = repairPrompt({
      bundle: context.bundle,
      localization: context.localization,
      reproduction: { ...(repro.testFile ? { testFile: repro.testFile } : {}), testId: repro.testId, runs: repro.runs, ...(repro.testContent ? { content: repro.testContent } : {}) },
      failingOutput: await failingOutput(tctx, repro.testId),
      code: await codeBlocks(context.sandbox, context.localization.ranking),
    });
    const last = await runAttempts({
      llm, budget, model, transcript, ledger, context: tctx, system: REPAIR_SYSTEM_PROMPT, user, label: 'llm attempt',
      toolsFor: (n, recorder) => [...baseTools, submitTool({
        attempt: n,
        validate: context.validate,
        ranking: context.localization.ranking,
        ...(options.maxSubmits ? { maxSubmits: options.maxSubmits } : {}),
        onCandidate: (candidate, patch) => {
          candidates.push(candidate);
          if (patch.rootCause) rootCauses.set(candidate.id, patch.rootCause);
          recorder.record.submitted.push(candidate.id);
          recorder.add({ type: 'submit', id: candidate.id, files: [...patch.files.keys()], status: candidate.status, ...(candidate.reason ? { reason: candidate.reason } : {}) });
        },
      })],
      afterAttempt: async () => {
        // The transcript so far, so a crash later still leaves it for `tracefix replay`.
        transcriptPath = await transcript.write(dir).catch((error: unknown) => {
          context.log?.warn({ err: error }, 'Could not write the transcript so far');
          return transcriptPath;
        });
      },
      done: () => validated() && !options.continueAfterValidated,
      ...(context.signal ? { signal: context.signal } : {}),
      ...(context.log ? { log: context.log } : {}),
      ...(context.progress ? { progress: context.progress } : {}),
    });
    stopped = validated() ? 'validated' : last ? stopText(last) : stopped;
  } finally {
    transcript.finish(stopped);
    transcriptPath = await transcript.write(dir);
  }
  const used = transcript.usage();
  return {
    candidates,
    rootCauses,
    stopped,
    artifacts: { transcript: transcriptPath },
    usage: { promptTokens: used.promptTokens, completionTokens: used.completionTokens, costUsd: used.costUsd, calls: used.calls },
  };
}
