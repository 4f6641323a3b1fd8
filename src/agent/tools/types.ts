// A tool: a zod schema for its arguments, a description the model reads, and a handler that
// works through the Sandbox port (never a container API). Handlers return our own status text
// plus any untrusted text (file content, test output) as data blocks; the registry validates
// arguments, caps output and turns every failure into a result the model can read.
import type { z } from 'zod';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import type { Logger } from '../../telemetry.ts';
import type { DataBlock } from '../data-block.ts';
import type { EditLedger } from '../edits.ts';
import type { AttemptStop } from '../stop.ts';

export interface ToolContext {
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  /** Files tracked at the incident's commit. */
  trackedFiles: ReadonlySet<string>;
  /** Tracked test files: never edited. */
  existingTests: ReadonlySet<string>;
  ledger: EditLedger;
  /** The reproduction test (repair): run by run_tests, never edited. */
  reproduction?: { testFile?: string; testId: string };
  /** Environment of every test run (the incident's TZ, pytest's native tracebacks). */
  testEnv: Record<string, string>;
  log?: Logger;
}

export interface ToolOutcome {
  ok: boolean;
  /** Our own text: what happened. */
  summary: string;
  /** Untrusted text the model needs (file content, test output), shown as data blocks. */
  data?: DataBlock[];
  /** The workspace or the attempt moved on (an edit, a new test, a submission). */
  progress?: boolean;
  /** Ends the attempt (a validated submission, no submissions left). */
  end?: AttemptStop;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  run(args: z.infer<S>, context: ToolContext): Promise<ToolOutcome>;
}

/** A refusal or a failure the model can act on. */
export function refuse(summary: string, data?: DataBlock[]): ToolOutcome {
  return { ok: false, summary, ...(data ? { data } : {}) };
}

export function defineTool<S extends z.ZodType>(tool: Tool<S>): Tool {
  return tool as unknown as Tool;
}
