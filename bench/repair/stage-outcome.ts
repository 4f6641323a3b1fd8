// The benchmark's view of a repair-stage result, shared by the paths that run the repair core in a
// sandbox (core-pipeline.ts for bundles, llm-pipeline.ts for the agent): counts, the chosen patch
// applied to the bug's work directory, and grading of the ground truth in that same sandbox (code
// a template or a model changed is never run on the host).
import { execFile } from 'node:child_process';
import { cp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RepairStageResult } from '../../src/repair/repair-stage.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import type { Bug } from './corpus.ts';
import type { PipelineResult } from './direct-pipeline.ts';

const run = promisify(execFile);

/** A reproduced bug's result; a plausible one keeps the sandbox for grading (disposed after). */
export async function stageOutcome(bug: Bug, workDir: string, sandbox: Sandbox, result: RepairStageResult): Promise<PipelineResult> {
  const candidates = {
    generated: result.candidates.length,
    tried: result.candidates.length,
    suppressed: result.candidates.filter((c) => c.checks.some((k) => k.name === 'suppression' && !k.ok)).length,
  };
  const usage = result.usage ? { usage: result.usage } : {};
  const chosen = result.proposal && result.candidates.find((c) => c.id === result.proposal?.candidateId);
  if (!chosen || !result.proposal) return { reproduced: true, plausible: false, candidates, reason: result.reason ?? 'not fixed', ...usage };
  const patchFile = path.join(os.tmpdir(), `tracefix-bench-${bug.meta.id}-${process.pid}.diff`);
  await writeFile(patchFile, result.proposal.diff);
  try {
    await run('git', ['apply', patchFile], { cwd: workDir });
  } finally {
    await rm(patchFile, { force: true });
  }
  const [template, ...rest] = chosen.description.split(': ');
  return {
    reproduced: true,
    plausible: true,
    patch: {
      diff: chosen.diff,
      template: chosen.engine === 'llm' ? 'llm' : (template ?? 'templates'),
      description: chosen.engine === 'llm' ? chosen.description : rest.join(': '),
      lines: chosen.stats.added + chosen.stats.removed,
      id: chosen.id,
    },
    candidates,
    ...usage,
    grade: async () => {
      await cp(bug.groundTruthDir, workDir, { recursive: true });
      const [command, ...args] = bug.meta.tests.groundTruth;
      const r = await sandbox.exec([command!, ...args], { timeoutMs: bug.meta.timeoutMs });
      return r.exitCode === 0 && !r.timedOut;
    },
    dispose: () => sandbox.destroy(),
  };
}
