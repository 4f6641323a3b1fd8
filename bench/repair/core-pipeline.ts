// The benchmark's path for bundle incidents (examples/): the repair core end to end in a real
// sandbox, exactly as `tracefix repair` runs it: reproduce from the bundle (synthesized test,
// signature and flake gates), suite baseline, localization, the template engine, validation and
// selection. The chosen patch is applied to the work directory, and the ground truth is graded in
// the same sandbox (the service's code is not run on the host).
import { execFile } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Bundle } from '../../schemas/bundle.ts';
import { repairStage } from '../../src/repair/repair-stage.ts';
import { createTemplateEngine } from '../../src/repair/templates-engine.ts';
import { reproduce } from '../../src/reproduce/index.ts';
import { listWorkspaceFiles } from '../../src/reproduce/workspace-paths.ts';
import { sandboxImage } from '../../src/sandbox/images.ts';
import { loadRepoConfig } from '../../src/workspace/repo-config.ts';
import type { PipelineResult, RepairPipeline } from './direct-pipeline.ts';
import type { SandboxFactory } from './llm-pipeline.ts';

const run = promisify(execFile);

export function coreTemplatePipeline(createSandbox: SandboxFactory): RepairPipeline {
  return async (bug, workDir): Promise<PipelineResult> => {
    const none = { generated: 0, tried: 0, suppressed: 0 };
    if (bug.incident.kind !== 'bundle') return { reproduced: false, plausible: false, candidates: none, reason: 'the core path takes bundle incidents' };
    const bundle = Bundle.parse(bug.incident.bundle);
    const sandbox = await createSandbox(workDir, bug.meta.language === 'python' ? 'python' : 'node');
    let keep = false;
    try {
      const repoConfig = await loadRepoConfig(workDir, { images: { node: sandboxImage('node'), python: sandboxImage('python') } });
      const trackedFiles = await listWorkspaceFiles(workDir);
      const reproduction = await reproduce({ bundle, workspaceDir: workDir, sandbox, repoConfig, workspaceFiles: trackedFiles });
      if (reproduction.status !== 'reproduced') return { reproduced: false, plausible: false, candidates: none, reason: reproduction.reason };
      const result = await repairStage({ bundle, sandbox, repoConfig, trackedFiles, reproduction, engines: [createTemplateEngine()] });
      const counts = {
        generated: result.candidates.length,
        tried: result.candidates.length,
        suppressed: result.candidates.filter((c) => c.checks.some((k) => k.name === 'suppression' && !k.ok)).length,
      };
      const chosen = result.proposal && result.candidates.find((c) => c.id === result.proposal?.candidateId);
      if (!chosen || !result.proposal) return { reproduced: true, plausible: false, candidates: counts, reason: result.reason ?? 'not fixed' };
      const patchFile = path.join(os.tmpdir(), `tracefix-bench-${bug.meta.id}-${process.pid}.diff`);
      await writeFile(patchFile, result.proposal.diff);
      await run('git', ['apply', patchFile], { cwd: workDir });
      keep = true;
      const [template, ...rest] = chosen.description.split(': ');
      return {
        reproduced: true,
        plausible: true,
        patch: { diff: chosen.diff, template: template ?? 'templates', description: rest.join(': '), lines: chosen.stats.added + chosen.stats.removed, id: chosen.id },
        candidates: counts,
        grade: async () => {
          await cp(bug.groundTruthDir, workDir, { recursive: true });
          const [command, ...args] = bug.meta.tests.groundTruth;
          const r = await sandbox.exec([command!, ...args], { timeoutMs: bug.meta.timeoutMs });
          return r.exitCode === 0 && !r.timedOut;
        },
        dispose: () => sandbox.destroy(),
      };
    } finally {
      if (!keep) await sandbox.destroy();
    }
  };
}
