// The benchmark's path for the LLM engine: the repair core end to end on a visible failing test,
// in a real sandbox (never host processes: the model writes code, and that code runs). The
// failing test becomes a `ci` incident and its bundle; the test itself is the reproduction,
// through the gates; the suite baseline, localization and the validator are the repair core's;
// the agent's validated patch is applied to the work directory and graded in the sandbox.
// Tokens and cost come back per bug.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { assembleBundle } from '../../src/assemble/assemble.ts';
import type { LlmConfig } from '../../src/config.ts';
import { fingerprint } from '../../src/evidence/fingerprint.ts';
import { createAgentEngine, createBudget } from '../../src/agent/index.ts';
import { repairStage } from '../../src/repair/repair-stage.ts';
import { incidentFromFailingTest, reproduceFromTest } from '../../src/reproduce/index.ts';
import { listWorkspaceFiles } from '../../src/reproduce/workspace-paths.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../src/workspace/repo-config.ts';
import type { Bug } from './corpus.ts';
import type { PipelineResult, RepairPipeline } from './direct-pipeline.ts';
import { stageOutcome } from './stage-outcome.ts';

/** Creates the sandbox a bug's work directory runs in. */
export type SandboxFactory = (workDir: string, runtime: 'node' | 'python') => Promise<Sandbox>;

const none = { generated: 0, tried: 0, suppressed: 0 };

/** The visible test to start from: the command's argument that names a file of the repo. */
function visibleTest(bug: Bug, files: readonly string[]): string {
  const incident = bug.incident;
  if (incident.kind !== 'visible-failing-test') throw new Error('not a visible failing test');
  if (incident.testId.includes('::') && !incident.testId.includes(' (')) return incident.testId;
  return incident.command.find((arg) => files.includes(arg)) ?? incident.command.join(' ');
}

export function llmPipeline(llm: LlmConfig, createSandbox: SandboxFactory, options: { artifactsDir?: string } = {}): RepairPipeline {
  return async (bug, workDir): Promise<PipelineResult> => {
    if (bug.incident.kind !== 'visible-failing-test') {
      return { reproduced: false, plausible: false, candidates: none, reason: 'bundle incidents need the reproduce stage (not in the direct path yet)' };
    }
    const sandbox = await createSandbox(workDir, bug.meta.language === 'python' ? 'python' : 'node');
    let keep = false;
    try {
      const repoConfig = await loadRepoConfig(workDir);
      const files = await listWorkspaceFiles(workDir);
      const failing = await incidentFromFailingTest({ sandbox, repoConfig, test: visibleTest(bug, files), workspaceFiles: files });
      const reproduction = await reproduceFromTest({
        sandbox,
        repoConfig,
        signature: failing.signature,
        target: failing.target,
        workspaceFiles: files,
        ...(failing.testFile ? { testFile: failing.testFile } : {}),
      });
      if (reproduction.status !== 'reproduced') return { reproduced: false, plausible: false, candidates: none, reason: reproduction.reason };
      const { bundle } = await assembleBundle({
        incident: { id: `bench-${bug.meta.id}`, fingerprint: fingerprint(failing.alert), source: 'ci' },
        alerts: [failing.alert],
        spans: [],
        logs: [],
        options: { redaction: { key: randomBytes(32) } },
      });
      const engine = createAgentEngine(llm, { budget: createBudget(llm), ...(options.artifactsDir ? { artifactsDir: path.join(options.artifactsDir, bug.meta.id) } : {}) });
      const result = await repairStage({ bundle, sandbox, repoConfig, trackedFiles: files, reproduction, engines: [engine] });
      const outcome = await stageOutcome(bug, workDir, sandbox, result);
      keep = outcome.plausible;
      return outcome;
    } finally {
      if (!keep) await sandbox.destroy();
    }
  };
}
