// The benchmark's direct repair path with the template engine, standing in for the repair core
// until it exists: reproduce with the visible failing test → localize from its frames (or the
// buggy function's lines) → generate candidates → validate each by the visible suite (and the
// suppression guard when there is a crash frame) → leave the first valid patch applied.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkSuppression } from '../../src/repair/guards/index.ts';
import { generateCandidates } from '../../src/repair/templates/engine.ts';
import { hostExec } from '../../src/repair/templates/python.ts';
import { tryCandidates, type ValidationResult } from '../../src/repair/templates/try-candidates.ts';
import type { TemplateCandidate } from '../../src/repair/templates/types.ts';
import type { Bug } from './corpus.ts';
import type { BugTimings } from './timing.ts';
import { runCommand } from './host-run.ts';
import { frameRanking, framesIn } from './localize-frames.ts';

export interface PipelineOptions {
  /** Candidates generated per bug (after ordering). */
  maxCandidates: number;
  /**
   * Wall-clock budget for trying candidates, per bug. None by default: a time budget makes the
   * results depend on the machine's load; every generated candidate is tried instead.
   */
  timeMs?: number;
  /** Limit of one validation run; a hung candidate is killed. Absent: the bug's own `timeoutMs`
   * (meta.json), the limit its tests were measured against; a fixed 3 s cut slow but correct
   * candidates of a bug that declares more. */
  runTimeoutMs?: number;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = { maxCandidates: 500 };

export interface PipelineResult {
  reproduced: boolean;
  plausible: boolean;
  /** The validated patch, left applied in the work directory. */
  patch?: { diff: string; template: string; description: string; lines: number; id: string };
  candidates: { generated: number; tried: number; suppressed: number };
  /** Why the run stopped short (not reproduced, no candidate validated, …). */
  reason?: string;
  /** Model tokens and cost (the LLM engine). */
  usage?: { promptTokens: number; completionTokens: number; costUsd: number; calls: number };
  /** Where the time went (the core path in a sandbox). */
  timings?: BugTimings;
  /** Grades the applied patch itself (in its sandbox) instead of on the host; called once, after. */
  grade?: () => Promise<boolean>;
  /** Releases what the pipeline kept for grading (its sandbox). */
  dispose?: () => Promise<void>;
}

/** Repairs the bug checked out in `workDir`; the harness grades the result afterwards. */
export type RepairPipeline = (bug: Bug, workDir: string) => Promise<PipelineResult>;

async function readFiles(workDir: string, files: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of files) out.set(f, await readFile(path.join(workDir, f), 'utf8'));
  return out;
}

async function writeFiles(workDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [f, content] of files) await writeFile(path.join(workDir, f), content);
}

export function templatePipeline(options: PipelineOptions = DEFAULT_PIPELINE_OPTIONS): RepairPipeline {
  return async (bug, workDir) => {
    const { meta, incident } = bug;
    const none = { generated: 0, tried: 0, suppressed: 0 };
    if (incident.kind !== 'visible-failing-test') {
      return { reproduced: false, plausible: false, candidates: none, reason: 'bundle incidents need the reproduce stage (not in the direct path yet)' };
    }
    const repro = await runCommand(incident.command, workDir, meta.timeoutMs);
    if (repro.exitCode === 0 && !repro.timedOut) {
      return { reproduced: false, plausible: false, candidates: none, reason: 'the visible failing test passes on the buggy code' };
    }
    const original = await readFiles(workDir, meta.files);
    const frames = framesIn(`${repro.stdout}\n${repro.stderr}`, meta.files, workDir);
    const ranking = frameRanking(frames, original, meta.function);
    const candidates = await generateCandidates({
      files: original,
      ranking,
      language: meta.language,
      budget: { maxCandidates: options.maxCandidates, maxLocations: ranking.length },
      exec: hostExec,
    });
    const crash = frames[0];
    let suppressed = 0;
    const sameCommand = incident.command.join('\0') === meta.tests.visible.join('\0');
    const validate = async (c: TemplateCandidate): Promise<ValidationResult> => {
      const after = new Map([...original, ...c.newContent]);
      if (crash) {
        const verdict = await checkSuppression({ before: original, after, crashSite: crash, exec: hostExec });
        if (verdict.suppressed) {
          suppressed++;
          return { valid: false, reason: verdict.reason };
        }
      }
      await writeFiles(workDir, c.newContent);
      const runTimeoutMs = options.runTimeoutMs ?? meta.timeoutMs;
      const suite = await runCommand(meta.tests.visible, workDir, runTimeoutMs);
      let valid = suite.exitCode === 0 && !suite.timedOut;
      if (valid && !sameCommand) {
        const again = await runCommand(incident.command, workDir, runTimeoutMs);
        valid = again.exitCode === 0 && !again.timedOut;
      }
      if (!valid) await writeFiles(workDir, original);
      return { valid, ...(valid ? {} : { reason: suite.timedOut ? 'timed out' : 'visible tests fail' }) };
    };
    const outcome = await tryCandidates(candidates, validate, options.timeMs === undefined ? {} : { timeMs: options.timeMs });
    const counts = { generated: candidates.length, tried: outcome.attempts.length, suppressed };
    const v = outcome.validated?.candidate;
    if (!v) return { reproduced: true, plausible: false, candidates: counts, reason: `no candidate validated (${outcome.stopped})` };
    return {
      reproduced: true,
      plausible: true,
      patch: { diff: v.diff, template: v.template, description: v.description, lines: v.size.lines, id: v.id },
      candidates: counts,
    };
  };
}
