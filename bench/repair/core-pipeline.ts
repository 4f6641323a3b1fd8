// The benchmark's path for bundle incidents (examples/): the repair core end to end in a real
// sandbox, exactly as `tracefix repair` runs it: reproduce from the bundle (a CI incident's own red test, else a synthesized test;
// signature and flake gates), suite baseline, localization, the template engine, validation and
// selection. The chosen patch is applied to the work directory, and the ground truth is graded in
// the same sandbox (the service's code is not run on the host). A service with dependencies
// (sessions-js, rates-py) gets them first through the install stage, as a run does: fetched on the
// host with no scripts (or restored from `<dataDir>/deps`), then its sandbox half; a failed install
// is the bug's reason, before any baseline.
import { chmod } from 'node:fs/promises';
import { Bundle } from '../../schemas/bundle.ts';
import type { Config } from '../../src/config.ts';
import { InstallError } from '../../src/install/index.ts';
import { repairStage } from '../../src/repair/repair-stage.ts';
import { createTemplateEngine } from '../../src/repair/template-repair-engine.ts';
import { reproduceStage } from '../../src/reproduce/stage.ts';
import { listWorkspaceFiles } from '../../src/reproduce/workspace-paths.ts';
import { sandboxImage } from '../../src/sandbox/images.ts';
import { loadRepoConfig } from '../../src/workspace/repo-config.ts';
import type { PipelineResult, RepairPipeline } from './direct-pipeline.ts';
import type { SandboxFactory } from './llm-pipeline.ts';
import { finishServiceInstall, installServiceDeps } from './service-deps.ts';
import { stageOutcome } from './stage-outcome.ts';
import { countingSandbox, Stopwatch, type BugTimings } from './timing.ts';

/** `config`: where the dependency cache lives and how it is bounded, the registries' credentials and CA. */
export function coreTemplatePipeline(createSandbox: SandboxFactory, config: Config): RepairPipeline {
  return async (bug, workDir): Promise<PipelineResult> => {
    const none = { generated: 0, tried: 0, suppressed: 0 };
    if (bug.incident.kind !== 'bundle') return { reproduced: false, plausible: false, candidates: none, reason: 'the core path takes bundle incidents' };
    // Where the time goes (the report's per-bug breakdown): stages, and every exec of the sandbox.
    const watch = new Stopwatch();
    let execs: BugTimings['execs'] = { count: 0, ms: 0 };
    const timings = (candidates?: BugTimings['candidates']): { timings: BugTimings } => ({ timings: { stages: { ...watch.stages }, execs: { count: execs.count, ms: Math.round(execs.ms), byCommand: structuredClone(execs.byCommand ?? {}) }, ...(candidates ? { candidates } : {}) } });
    const bundle = Bundle.parse(bug.incident.bundle);
    const loaded = await loadRepoConfig(workDir, { images: { node: sandboxImage('node'), python: sandboxImage('python') } });
    const failed = (error: unknown): PipelineResult => {
      if (!(error instanceof InstallError)) throw error;
      return { reproduced: false, plausible: false, candidates: none, reason: `dependency install failed before the baseline: ${error.reason}` };
    };
    // The repository's files, as git would list them: before the install adds node_modules or .tracefix-deps.
    const trackedFiles = await listWorkspaceFiles(workDir);
    // The fetch runs as an unprivileged uid when the benchmark runs as root: it reads the checkout.
    await chmod(workDir, 0o711);
    const deps = await installServiceDeps(config, workDir, loaded).catch((error: unknown) => ({ failure: failed(error) }));
    watch.lap('fetch');
    if ('failure' in deps) return { ...deps.failure, ...timings() };
    const counted = countingSandbox(await createSandbox(workDir, bug.meta.language === 'python' ? 'python' : 'node', deps.env));
    const sandbox = counted.sandbox;
    execs = counted.execs;
    watch.lap('sandbox');
    let keep = false;
    try {
      const installed = await finishServiceInstall(sandbox, loaded).then(() => undefined, failed);
      watch.lap('install');
      if (installed) return { ...installed, ...timings() };
      // One test run of a candidate is limited by the bug's own timeoutMs (meta.json), not the
      // repository default of minutes.
      const repoConfig = { ...loaded, timeouts: { ...loaded.timeouts, singleTestMs: bug.meta.timeoutMs } };
      // As `tracefix repair` does: a CI incident's own red test (bundle.repro.test) is the
      // reproduction; any other bundle gets a synthesized test.
      const reproduction = await reproduceStage({ bundle, env: { workspace: { dir: workDir }, repoConfig, trackedFiles, sandbox } });
      watch.lap('reproduce');
      if (reproduction.status !== 'reproduced') return { reproduced: false, plausible: false, candidates: none, reason: reproduction.reason, ...timings() };
      // The repair stage's own progress marks where the baseline ends and the engine starts.
      const progress = (message: string) => {
        if (message.startsWith('baseline')) watch.lap('baseline');
        else if (message.startsWith('engine ')) watch.lap('localize');
      };
      const result = await repairStage({ bundle, sandbox, repoConfig, trackedFiles, reproduction, engines: [createTemplateEngine()], progress });
      watch.lap('candidates');
      const outcome = await stageOutcome(bug, workDir, sandbox, result);
      keep = outcome.plausible;
      const validated = { count: result.candidates.length, ms: result.candidates.reduce((sum, c) => sum + c.durationMs, 0) };
      return { ...outcome, ...timings(validated) };
    } finally {
      if (!keep) await sandbox.destroy();
    }
  };
}
