// submit_reproduction: the agent's own reproduction test through the same gates a synthesized
// one passes (src/reproduce/gates.ts): it must fail with the incident's signature (error type,
// message, crash frame) in every one of N runs. A test that throws the error itself, or fails
// some other way, is rejected with the gate's reason and the model may try again.
import { z } from 'zod';
import type { ReproAttempt, Signature } from '../../../schemas/run.ts';
import { gate, gateRuns, testIdExecution } from '../../reproduce/gates.ts';
import type { MatchOptions } from '../../reproduce/signature.ts';
import { defineTool, refuse, type Tool } from './types.ts';

export interface ReproSubmitDeps {
  signature: Signature;
  workspaceFiles: readonly string[];
  functionAt?: MatchOptions['functionAt'];
  /** Numbering continues after the template attempts. */
  nextAttempt(): number;
  onAttempt(attempt: ReproAttempt, content: string): void;
  /** Rejected submissions after which the attempt ends. @defaultValue 5 */
  maxSubmits?: number;
}

export function submitReproductionTool(deps: ReproSubmitDeps): Tool {
  let rejected = 0;
  const maxSubmits = deps.maxSubmits ?? 5;
  return defineTool({
    name: 'submit_reproduction',
    description:
      'Submit one of your test files as the reproduction. It must fail the way production failed (same error type and message, ' +
      `crashing in the same function) in each of several runs; it is rejected otherwise, with the reason. Give the test id as ` +
      'run_tests reported it.',
    schema: z.strictObject({
      test_file: z.string().min(1).max(1024),
      test_id: z.string().min(1).max(4096),
      explanation: z.string().min(1).max(2000).describe('one paragraph: how the test reproduces the incident'),
    }),
    async run(args, ctx) {
      const testFile = args.test_file.replace(/^\.\//, '');
      if (!ctx.ledger.isCreated(testFile)) return refuse(`${testFile} is not one of your test files (write it with write_test first)`);
      if (!args.test_id.includes(testFile.split('/').pop()!.replace(/\.[^.]+$/, ''))) {
        return refuse(`test id ${JSON.stringify(args.test_id.slice(0, 200))} is not a test of ${testFile}; run it with run_tests to see its id`);
      }
      const content = await ctx.sandbox.readFile(testFile);
      const execute = testIdExecution({
        sandbox: ctx.sandbox,
        config: ctx.repoConfig,
        testId: args.test_id,
        testFile,
        workspaceFiles: [...deps.workspaceFiles, testFile],
        env: ctx.testEnv,
      });
      const verdict = await gate(deps.signature, execute, gateRuns(ctx.repoConfig), { ...(deps.functionAt ? { functionAt: deps.functionAt } : {}), ...(ctx.log ? { log: ctx.log } : {}) });
      const attempt: ReproAttempt = {
        n: deps.nextAttempt(),
        strategy: 'agent',
        outcome: verdict.passed ? 'reproduced' : 'rejected',
        ...(verdict.passed ? {} : { reason: verdict.reason.slice(0, 4096) }),
        testFile,
        testId: args.test_id,
        runs: verdict.runs,
      };
      deps.onAttempt(attempt, content);
      if (verdict.passed) {
        return { ok: true, summary: `${testFile} fails with the incident's signature in ${verdict.runs.length} of ${verdict.runs.length} runs: reproduced`, progress: true, end: { kind: 'goal', goal: 'reproduced' } };
      }
      rejected++;
      const last = rejected >= maxSubmits;
      return {
        ok: false,
        summary: `${testFile} rejected by the reproduction gates${last ? `; ${rejected} submissions rejected, the attempt ends` : ''}`,
        data: [{ id: `gate:${testFile}`, text: verdict.reason }],
        progress: true,
        ...(last ? { end: { kind: 'exhausted', reason: `${rejected} reproductions rejected` } } : {}),
      };
    },
  });
}
