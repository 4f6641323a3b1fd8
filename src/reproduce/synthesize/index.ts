// Test synthesis: the production frames of an incident, deepest in-app frame first, each turned
// into a test that calls its function with production's inputs, or into the reason it cannot be
// (file not in the workspace, not exported, an argument missing…). Walking outwards is how the
// issue's "walk up to the callers" happens: a caller whose inputs are all known reaches the crash
// through the code path production took.
import type { Bundle } from '../../../schemas/bundle.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Frame } from '../../../schemas/alert.ts';
import { normalizeFunction } from '../../evidence/fingerprint.ts';
import { parseStackText } from '../../evidence/stack-text.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { frameFile } from '../signature.ts';
import { shortIncidentId } from './naming.ts';
import { JsPlanner } from './plan-js.ts';
import { PyPlanner } from './plan-py.ts';
import type { FramePlan, FrameRef, SynthesisContext } from './types.ts';

export type { FramePlan, FrameRef, SkippedFrame, TestCandidate } from './types.ts';

const JS_FILE = /\.[cm]?[jt]sx?$/;
const PY_FILE = /\.py$/;

export interface SynthesizeInput {
  bundle: Bundle;
  sandbox: Sandbox;
  config: RepoConfig;
  workspaceFiles: readonly string[];
  /** At most this many frames get a test (skipped frames do not count). @defaultValue 5 */
  maxCandidates?: number;
  /** At most this many searched variants per frame (search.ts). @defaultValue 12 */
  maxSearch?: number;
}

/** Frames innermost first: the bundle's, or for a bundle with only a raw stack, parsed from it. */
function framesOf(bundle: Bundle): { frames: (Frame & { inApp?: boolean })[]; fromRaw: boolean } {
  if (bundle.exception.frames.length > 0) return { frames: bundle.exception.frames, fromRaw: false };
  const parsed = bundle.exception.rawStack ? (parseStackText(bundle.exception.rawStack).at(-1)?.frames ?? []) : [];
  return { frames: [...parsed].reverse(), fromRaw: true };
}

function header(bundle: Bundle): string[] {
  const ex = bundle.exception;
  return [
    `tracefix: reproduces incident ${bundle.incident.id} (${ex.type}: ${ex.message.split('\n')[0] ?? ''})`,
    'It calls the code the way production did, with inputs rebuilt from the production evidence, and asserts nothing',
    "else: it fails with production's error while the bug is there and passes once it is fixed.",
  ];
}

export async function synthesizeCandidates(input: SynthesizeInput): Promise<FramePlan[]> {
  const { bundle, config, workspaceFiles } = input;
  const ctx: SynthesisContext = {
    bundle,
    sandbox: input.sandbox,
    config,
    workspaceFiles,
    shortId: shortIncidentId(bundle.incident.id),
    header: header(bundle),
  };
  const python = config.language === 'python';
  const js = new JsPlanner(ctx);
  const py = new PyPlanner(ctx);
  const { frames, fromRaw } = framesOf(bundle);
  const entries: { ref: FrameRef; skip?: string }[] = [];
  const seen = new Set<string>();
  for (const [index, frame] of frames.entries()) {
    if (frame.inApp === false) continue;
    const file = frameFile(frame, workspaceFiles);
    const ref: FrameRef = { index: fromRaw ? 0 : index, file, function: normalizeFunction(frame.function), ...(frame.line ? { line: frame.line } : {}) };
    const key = `${file}\0${ref.function}`;
    if (seen.has(key)) continue; // recursion: the same function again
    seen.add(key);
    if (!workspaceFiles.includes(file)) entries.push({ ref, skip: `${file} is not a file of the workspace` });
    else if (python ? !PY_FILE.test(file) : !JS_FILE.test(file)) entries.push({ ref, skip: `${file} is not ${python ? 'Python' : 'JavaScript/TypeScript'} source` });
    else entries.push({ ref });
  }
  if (python) await py.prepare(entries.filter((e) => !e.skip).map((e) => e.ref.file));
  const max = input.maxCandidates ?? 5;
  const out: FramePlan[] = [];
  let tests = 0;
  for (const { ref, skip } of entries) {
    if (skip) out.push({ kind: 'skipped', frame: ref, reason: skip });
    else if (tests >= max) out.push({ kind: 'skipped', frame: ref, reason: `not tried: ${max} candidate tests already` });
    else {
      const plan = python ? await py.plan(ref) : await js.plan(ref);
      if (plan.kind === 'test') tests++;
      out.push(plan);
    }
  }
  // Searched inputs are guesses: they come after every candidate built from recorded values,
  // innermost frame first, each variant gated like any other candidate.
  const maxSearch = input.maxSearch ?? 12;
  for (const plan of [...out]) {
    if (plan.kind === 'skipped' && plan.search) out.push(...(await plan.search(maxSearch)));
  }
  return out;
}
