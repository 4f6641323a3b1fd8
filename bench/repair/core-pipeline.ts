// The benchmark's path for bundle incidents (examples/): the repair core end to end in a real
// sandbox, exactly as `tracefix repair` runs it: reproduce from the bundle (synthesized test,
// signature and flake gates), suite baseline, localization, the template engine, validation and
// selection. The chosen patch is applied to the work directory, and the ground truth is graded in
// the same sandbox (the service's code is not run on the host).
import { Bundle } from '../../schemas/bundle.ts';
import { repairStage } from '../../src/repair/repair-stage.ts';
import { createTemplateEngine } from '../../src/repair/template-repair-engine.ts';
import { reproduce } from '../../src/reproduce/index.ts';
import { listWorkspaceFiles } from '../../src/reproduce/workspace-paths.ts';
import { sandboxImage } from '../../src/sandbox/images.ts';
import { loadRepoConfig } from '../../src/workspace/repo-config.ts';
import type { PipelineResult, RepairPipeline } from './direct-pipeline.ts';
import type { SandboxFactory } from './llm-pipeline.ts';
import { stageOutcome } from './stage-outcome.ts';

export function coreTemplatePipeline(createSandbox: SandboxFactory): RepairPipeline {
  return async (bug, workDir): Promise<PipelineResult> => {
    const none = { generated: 0, tried: 0, suppressed: 0 };
    if (bug.incident.kind !== 'bundle') return { reproduced: false, plausible: false, candidates: none, reason: 'the core path takes bundle incidents' };
    const bundle = Bundle.parse(bug.incident.bundle);
    const sandbox = await createSandbox(workDir, bug.meta.language === 'python' ? 'python' : 'node');
    let keep = false;
    try {
      const loaded = await loadRepoConfig(workDir, { images: { node: sandboxImage('node'), python: sandboxImage('python') } });
      // One test run of a candidate is limited by the bug's own timeoutMs (meta.json), not the
      // repository default of minutes.
      const repoConfig = { ...loaded, timeouts: { ...loaded.timeouts, singleTestMs: bug.meta.timeoutMs } };
      const trackedFiles = await listWorkspaceFiles(workDir);
      const reproduction = await reproduce({ bundle, workspaceDir: workDir, sandbox, repoConfig, workspaceFiles: trackedFiles });
      if (reproduction.status !== 'reproduced') return { reproduced: false, plausible: false, candidates: none, reason: reproduction.reason };
      const result = await repairStage({ bundle, sandbox, repoConfig, trackedFiles, reproduction, engines: [createTemplateEngine()] });
      const outcome = await stageOutcome(bug, workDir, sandbox, result);
      keep = outcome.plausible;
      return outcome;
    } finally {
      if (!keep) await sandbox.destroy();
    }
  };
}
