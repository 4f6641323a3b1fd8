// The one attempt driver both agent tasks use (repair: submit a patch; reproduce: submit a failing
// test): fresh conversations, each with its own seed and a higher temperature, while the budget
// lasts and the goal is not reached. After every attempt, whatever happened, the workspace goes
// back to how the driver found it (the task may then put back what it keeps, such as a winning test).
import type { LlmConfig } from '../config.ts';
import type { Logger } from '../telemetry.ts';
import type { Budget } from './budget.ts';
import type { EditLedger } from './edits.ts';
import { converse } from './loop.ts';
import type { Model } from './model.ts';
import { endsRun, stopText, type AttemptStop } from './stop.ts';
import type { Tool, ToolContext } from './tools/types.ts';
import type { AttemptRecorder, TranscriptRecorder } from './transcript.ts';

export interface AttemptsInput {
  llm: LlmConfig;
  budget: Budget;
  model: Model;
  transcript: TranscriptRecorder;
  ledger: EditLedger;
  context: ToolContext;
  system: string;
  user: string;
  /** Progress wording: `llm attempt` or `llm reproduction attempt`. */
  label: string;
  /** The tools of attempt n (its submit tool reports to the task through the recorder). */
  toolsFor(n: number, recorder: AttemptRecorder): Tool[];
  /** After the workspace reset of every attempt: what the task keeps goes back. */
  afterReset?(): Promise<void>;
  /** After each attempt (the repair task writes its transcript so far). */
  afterAttempt?(n: number, stop: AttemptStop): Promise<void>;
  /** The task's goal is reached: no further attempt. */
  done(): boolean;
  signal?: AbortSignal;
  log?: Logger;
  progress?: (message: string) => void;
}

/** Attempt n's sampling: the configured temperature first, then higher, each with its own seed. */
export function attemptSampling(llm: LlmConfig, n: number): { temperature: number; seed: number } {
  return { temperature: Math.min(1, llm.temperature + 0.3 * (n - 1)), seed: n };
}

/** Runs attempts; returns the last attempt's stop, or undefined when none ran (no attempts configured). */
export async function runAttempts(input: AttemptsInput): Promise<AttemptStop | undefined> {
  const { llm, ledger } = input;
  let last: AttemptStop | undefined;
  for (let n = 1; n <= llm.attempts && !input.done(); n++) {
    const { temperature, seed } = attemptSampling(llm, n);
    const recorder = input.transcript.attempt(n, temperature, seed);
    input.progress?.(`${input.label} ${n}/${llm.attempts} (temperature ${temperature})`);
    try {
      last = await converse({
        model: input.model, budget: input.budget, tools: input.toolsFor(n, recorder), context: input.context,
        system: input.system, user: input.user,
        maxTurns: llm.maxTurns, stuckTurns: llm.stuckTurns, temperature, seed,
        maxOutputTokens: llm.maxOutputTokens, toolOutputChars: llm.toolOutputChars, recorder,
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.log ? { log: input.log } : {}),
        ...(input.progress ? { progress: input.progress } : {}),
      });
    } finally {
      // Whatever happened, the next attempt (and the core) find the workspace as it was.
      await ledger.reset();
      await input.afterReset?.();
      ledger.clear();
    }
    recorder.finish(stopText(last));
    input.log?.info({ attempt: n, stopped: stopText(last), usage: input.budget.snapshot() }, 'LLM attempt finished');
    await input.afterAttempt?.(n, last);
    if (endsRun(last)) break;
  }
  return last;
}
