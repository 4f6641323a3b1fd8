// The repair benchmark harness: per bug, a fresh copy of repo/, the pipeline, then grading with
// the ground truth copied in only after the pipeline is done (it never sees the hidden tests).
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Bug } from './corpus.ts';
import type { PipelineResult, RepairPipeline } from './direct-pipeline.ts';
import { runCommand } from './host-run.ts';

export interface BugReport {
  id: string;
  language: string;
  bugType: string;
  reproduced: boolean;
  plausible: boolean;
  /** The validated patch also passes the hidden ground-truth tests. */
  correct: boolean;
  patchLines?: number;
  template?: string;
  description?: string;
  diff?: string;
  /** The other validated candidates, best first (what a reviewer would see as alternatives). */
  alternatives?: PipelineResult['alternatives'];
  candidates: PipelineResult['candidates'];
  /** Pipeline wall time (grading excluded), milliseconds. */
  timeMs: number;
  /** Model tokens and cost (the LLM engine). */
  usage?: PipelineResult['usage'];
  /** Stages, execs and candidates, timed (the core path). */
  timings?: PipelineResult['timings'];
  reason?: string;
  notes: string[];
}

export interface BenchmarkOptions {
  pipeline: RepairPipeline;
  /** Bugs repaired at once (each in its own directory). */
  concurrency?: number;
  onBug?: (report: BugReport) => void;
}

async function grade(bug: Bug, workDir: string): Promise<boolean> {
  await cp(bug.groundTruthDir, workDir, { recursive: true });
  const r = await runCommand(bug.meta.tests.groundTruth, workDir, bug.meta.timeoutMs);
  return r.exitCode === 0 && !r.timedOut;
}

export async function runBug(bug: Bug, pipeline: RepairPipeline): Promise<BugReport> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), `tracefix-bench-${bug.meta.id}-`));
  try {
    await cp(bug.repoDir, workDir, { recursive: true });
    const started = performance.now();
    let result: PipelineResult;
    try {
      result = await pipeline(bug, workDir);
    } catch (err) {
      result = { reproduced: false, plausible: false, candidates: { generated: 0, tried: 0, suppressed: 0 }, reason: `pipeline error: ${String(err)}` };
    }
    const timeMs = Math.round(performance.now() - started);
    let correct = false;
    try {
      // A model-written patch is graded in the pipeline's sandbox, never as a host process.
      if (result.plausible) correct = result.grade ? await result.grade() : await grade(bug, workDir);
    } finally {
      await result.dispose?.();
    }
    return {
      id: bug.meta.id,
      language: bug.meta.language,
      bugType: bug.meta.bugType,
      reproduced: result.reproduced,
      plausible: result.plausible,
      correct,
      ...(result.patch
        ? { patchLines: result.patch.lines, template: result.patch.template, description: result.patch.description, diff: result.patch.diff }
        : {}),
      ...(result.alternatives?.length ? { alternatives: result.alternatives } : {}),
      candidates: result.candidates,
      timeMs,
      ...(result.usage ? { usage: result.usage } : {}),
      ...(result.timings ? { timings: result.timings } : {}),
      ...(result.reason ? { reason: result.reason } : {}),
      notes: bug.meta.notes,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

export async function runBenchmark(bugs: readonly Bug[], options: BenchmarkOptions): Promise<BugReport[]> {
  const reports: BugReport[] = new Array(bugs.length);
  let next = 0;
  const worker = async () => {
    while (next < bugs.length) {
      const i = next++;
      reports[i] = await runBug(bugs[i]!, options.pipeline);
      options.onBug?.(reports[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  return reports;
}
