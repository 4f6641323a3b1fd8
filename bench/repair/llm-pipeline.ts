// The benchmark's path for the LLM engine: the repair core end to end on a visible failing test,
// in a real sandbox (never host processes: the model writes code, and that code runs). The
// failing test becomes a `ci` incident and its bundle; the test itself is the reproduction,
// through the gates; the suite baseline, localization and the validator are the repair core's;
// the agent's validated patch is written into the work directory for the harness to grade.
// Tokens and cost come back per bug.
import { randomBytes } from 'node:crypto';
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assembleBundle } from '../../src/assemble/assemble.ts';
import type { LlmConfig } from '../../src/config.ts';
import { fingerprint } from '../../src/intake/fingerprint.ts';
import { createAgentEngine, createBudget } from '../../src/repair/agent/index.ts';
import { localize } from '../../src/repair/localize/index.ts';
import { crashSiteOf } from '../../src/repair/repair-stage.ts';
import type { ProposedPatch } from '../../src/repair/types.ts';
import { createValidator, suiteBaseline } from '../../src/repair/validate/index.ts';
import { incidentFromFailingTest, reproduceFromTest } from '../../src/reproduce/index.ts';
import { listWorkspaceFiles } from '../../src/reproduce/workspace-paths.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../src/workspace/repo-config.ts';
import type { Bug } from './corpus.ts';
import type { PipelineResult, RepairPipeline } from './direct-pipeline.ts';

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
      const baseline = await suiteBaseline({ sandbox, repoConfig, reproduction });
      const localization = await localize({ bundle, sandbox, repoConfig, workspaceFiles: files, reproTestId: reproduction.testId });
      const crashSite = crashSiteOf(reproduction, files);
      const validator = createValidator({ sandbox, repoConfig, reproduction, baseline, trackedFiles: files, ...(crashSite ? { crashSite } : {}) });
      // The engine reports candidates; the files of the one that validated are kept here to apply.
      const patches = new Map<string, ProposedPatch>();
      const engine = createAgentEngine(llm, { budget: createBudget(llm), ...(options.artifactsDir ? { artifactsDir: path.join(options.artifactsDir, bug.meta.id) } : {}) });
      const result = await engine.run({
        bundle,
        sandbox,
        repoConfig,
        reproduction,
        localization,
        trackedFiles: files,
        validate: async (patch) => {
          const candidate = await validator(patch);
          patches.set(candidate.id, patch);
          return candidate;
        },
      });
      const counts = { generated: result.candidates.length, tried: result.candidates.length, suppressed: result.candidates.filter((c) => c.checks.some((k) => k.name === 'suppression' && !k.ok)).length };
      const usage = result.usage;
      const validated = result.candidates.find((c) => c.status === 'validated');
      const patch = validated && patches.get(validated.id);
      if (!validated || !patch) return { reproduced: true, plausible: false, candidates: counts, reason: `no candidate validated (${result.stopped})`, ...(usage ? { usage } : {}) };
      for (const [file, content] of patch.files) await writeFile(path.join(workDir, file), content);
      keep = true;
      return {
        reproduced: true,
        plausible: true,
        patch: { diff: validated.diff, template: 'llm', description: validated.description, lines: validated.stats.added + validated.stats.removed, id: validated.id },
        candidates: counts,
        ...(usage ? { usage } : {}),
        // The ground truth runs where the patch ran: model-written code never runs on the host.
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
