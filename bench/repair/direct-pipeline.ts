// The benchmark's direct repair path with the template engine: reproduce with the visible failing
// test → localize from its frames (or the buggy function's lines) → generate candidates → the
// intent gate (a candidate contradicting the function's contract is rejected unrun), then the
// suppression guard when there is a crash frame and the visible suite → the product's stopping rule
// (src/repair/validated-search.ts: N validated at the first one's location score) and the
// product's selection (src/repair/select.ts: contract agreement, location score, size) → the
// chosen patch left applied. Not here: the behaviour preservation gate (it needs the sandbox and a
// bundle); HumanEvalFix's failures are mostly failing assertions, for which the product skips it too.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_CONFIG_DEFAULTS } from '../../schemas/repo-config.ts';
import type { Candidate } from '../../schemas/run.ts';
import { checkSuppression } from '../../src/repair/guards/index.ts';
import { judgePatch } from '../../src/repair/intent/index.ts';
import { orphanedNames } from '../../src/repair/orphaned-names.ts';
import { selectCandidate } from '../../src/repair/select.ts';
import { generateCandidates } from '../../src/repair/templates/engine.ts';
import { hostExec } from '../../src/repair/templates/python.ts';
import type { TemplateCandidate } from '../../src/repair/templates/types.ts';
import { searchValidated } from '../../src/repair/validated-search.ts';
import { toProposedPatch } from '../../src/repair/template-repair-engine.ts';
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
  /** Validated candidates that end the search, as `repair.validatedCandidates` does in the
   * product. @defaultValue 3 (the product's default) */
  validatedCandidates?: number;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = { maxCandidates: 500 };

export interface PipelineResult {
  reproduced: boolean;
  plausible: boolean;
  /** The validated patch, left applied in the work directory. */
  patch?: { diff: string; template: string; description: string; lines: number; id: string };
  /** The other validated candidates, best first (the product's alternatives). */
  alternatives?: { id: string; description: string; diff: string }[];
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
    const runTimeoutMs = options.runTimeoutMs ?? meta.timeoutMs;
    const record = (c: TemplateCandidate, status: Candidate['status'], reason: string | undefined, intent: Candidate['intent'], started: number): Candidate => ({
      id: c.id,
      engine: 'templates',
      description: `${c.template}: ${c.description}`,
      location: { file: c.file, line: c.line },
      diff: c.diff,
      stats: { files: c.newContent.size, added: c.size.added, removed: c.size.removed },
      status,
      ...(reason ? { reason } : {}),
      checks: [],
      durationMs: Math.round(performance.now() - started),
      ...(intent ? { intent } : {}),
    });
    const validate = async (c: TemplateCandidate): Promise<Candidate> => {
      const started = performance.now();
      // The product's intent gate (repair-stage.ts): judged before anything runs.
      const judged = judgePatch(c.newContent, original);
      const intent = judged ? { agreement: judged.agreement, reasons: judged.reasons, values: judged.values } : undefined;
      if (intent?.agreement === 'contradicts') return record(c, 'rejected', `contradicts the function's contract: ${intent.reasons[0] ?? ''}`, intent, started);
      const after = new Map([...original, ...c.newContent]);
      if (crash) {
        const verdict = await checkSuppression({ before: original, after, crashSite: crash, exec: hostExec });
        if (verdict.suppressed) {
          suppressed++;
          return record(c, 'rejected', verdict.reason, intent, started);
        }
      }
      await writeFiles(workDir, c.newContent);
      try {
        const suite = await runCommand(meta.tests.visible, workDir, runTimeoutMs);
        let valid = suite.exitCode === 0 && !suite.timedOut;
        if (valid && !sameCommand) {
          const again = await runCommand(incident.command, workDir, runTimeoutMs);
          valid = again.exitCode === 0 && !again.timedOut;
        }
        return record(c, valid ? 'validated' : 'rejected', valid ? undefined : suite.timedOut ? 'timed out' : 'visible tests fail', intent, started);
      } finally {
        // The search goes on after a validated candidate: the chosen one is applied at the end.
        await writeFiles(workDir, original);
      }
    };
    const wanted = options.validatedCandidates ?? REPO_CONFIG_DEFAULTS.repair.validatedCandidates;
    const search = await searchValidated(candidates, validate, { wanted, ...(options.timeMs === undefined ? {} : { timeMs: options.timeMs }) });
    const counts = { generated: candidates.length, tried: search.records.length, suppressed };
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const orderOf = new Map(candidates.map((c, i) => [c.id, i]));
    // What the product's repair stage gives selection: location score, ring, orphaned names.
    const scored = new Map(
      search.records.flatMap((r) => {
        const c = byId.get(r.id);
        return c ? [[r.id, { ...toProposedPatch(c, orderOf.get(c.id)), orphanedNames: orphanedNames(c.newContent, original) }] as const] : [];
      }),
    );
    const selection = selectCandidate(search.records, scored);
    const chosen = selection && byId.get(selection.chosen.id);
    if (!selection || !chosen) return { reproduced: true, plausible: false, candidates: counts, reason: `no candidate validated (${search.stopped})` };
    await writeFiles(workDir, chosen.newContent);
    const alternatives = selection.alternatives.flatMap((id) => {
      const r = search.records.find((x) => x.id === id);
      return r ? [{ id, description: r.description, diff: r.diff }] : [];
    });
    return {
      reproduced: true,
      plausible: true,
      patch: { diff: chosen.diff, template: chosen.template, description: chosen.description, lines: chosen.size.lines, id: chosen.id },
      alternatives,
      candidates: counts,
    };
  };
}
