// The ranking: stack evidence and spectrum evidence combined per (file, line).
//   score = (wFrames · frameWeight + wSpectrum · ochiai) / (wFrames + wSpectrum)
// Either signal alone is weak: the crash site is often only where a bad value surfaced, and the
// spectrum of a single failing test ties every line on its path. Together the crash path ranks
// first and, among equally suspicious lines, the one fewer passing tests run comes first. Without
// coverage the spectrum weight is 0 and the stack decides. Ties break on stack depth, then Ochiai,
// then file and line, so the same evidence always gives the same order.
import type { Localization, SuspiciousLocation } from '../../../schemas/run.ts';
import type { FrameLocation } from './frames.ts';
import type { LineSpectrum, Spectrum } from './spectrum.ts';

export interface RankInput {
  frames: readonly FrameLocation[];
  spectrum?: Spectrum;
  /** @defaultValue { frames: 0.5, spectrum: 0.5 } */
  weights?: { frames: number; spectrum: number };
  /** Names the function around a line (for spectrum lines that are not on the stack). */
  functionAt?: (file: string, line: number) => string | undefined;
  /** At most this many locations. @defaultValue 20 */
  limit?: number;
  /** Spectrum lines scoring below this are left out (frames are always kept). @defaultValue 0.1 */
  minOchiai?: number;
}

interface Entry {
  file: string;
  line: number;
  function?: string;
  frame?: FrameLocation;
  spectrum?: LineSpectrum;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function spectrumReason(s: LineSpectrum): string {
  const passing = s.ep + s.np;
  return `Ochiai ${s.ochiai.toFixed(2)}: run by ${s.ef} of ${s.ef + s.nf} failing and ${s.ep} of ${passing} passing test${passing === 1 ? '' : 's'}`;
}

export function effectiveWeights(input: Pick<RankInput, 'weights' | 'spectrum'>): { frames: number; spectrum: number } {
  const w = input.weights ?? { frames: 0.5, spectrum: 0.5 };
  const hasSpectrum = input.spectrum !== undefined && input.spectrum.failing.length > 0;
  return { frames: w.frames, spectrum: hasSpectrum ? w.spectrum : 0 };
}

export function rankLocations(input: RankInput): SuspiciousLocation[] {
  const weights = effectiveWeights(input);
  const total = weights.frames + weights.spectrum || 1;
  const minOchiai = input.minOchiai ?? 0.1;
  const entries = new Map<string, Entry>();
  const at = (file: string, line: number): Entry => {
    const key = `${file}\0${line}`;
    let e = entries.get(key);
    if (!e) {
      e = { file, line };
      entries.set(key, e);
    }
    return e;
  };
  for (const f of input.frames) {
    const e = at(f.file, f.line);
    // Recursion puts a line on the stack twice: the innermost occurrence counts.
    if (!e.frame || f.weight > e.frame.weight) e.frame = f;
    if (f.function) e.function = f.function;
  }
  const spectrumLines = new Map((input.spectrum?.lines ?? []).map((s) => [`${s.file}\0${s.line}`, s]));
  for (const [key, s] of spectrumLines) {
    if (s.ochiai < minOchiai && !entries.has(key)) continue;
    at(s.file, s.line).spectrum = s;
  }
  const ranked = [...entries.values()].map((e) => {
    const frameScore = e.frame?.weight ?? 0;
    const ochiaiScore = e.spectrum?.ochiai ?? 0;
    const score = round((weights.frames * frameScore + weights.spectrum * ochiaiScore) / total);
    const fn = e.function ?? input.functionAt?.(e.file, e.line);
    const reasons = [
      ...(e.frame ? [e.frame.reason] : []),
      ...(e.spectrum ? [spectrumReason(e.spectrum)] : weights.spectrum > 0 && e.frame ? ['not run by the failing reproduction under coverage'] : []),
    ];
    const location: SuspiciousLocation = {
      file: e.file,
      line: e.line,
      ...(fn ? { function: fn } : {}),
      score: Math.min(1, Math.max(0, score)),
      reasons,
      ...(e.frame ? { frame: { index: e.frame.index, weight: round(e.frame.weight) } } : {}),
      ...(e.spectrum ? { spectrum: { ochiai: round(e.spectrum.ochiai), ef: e.spectrum.ef, ep: e.spectrum.ep, nf: e.spectrum.nf, np: e.spectrum.np } } : {}),
    };
    return location;
  });
  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      (a.frame?.index ?? Infinity) - (b.frame?.index ?? Infinity) ||
      (b.spectrum?.ochiai ?? 0) - (a.spectrum?.ochiai ?? 0) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line,
  );
  return ranked.slice(0, input.limit ?? 20);
}

/** The run record's localization section. */
export function localization(input: RankInput, problems: readonly string[] = []): Localization {
  return {
    ranking: rankLocations(input),
    weights: effectiveWeights(input),
    spectrum: {
      failingTests: input.spectrum?.failing ?? [],
      passingTests: input.spectrum?.passing.length ?? 0,
      coveredLines: input.spectrum?.coveredLines ?? 0,
      problems: [...problems],
    },
  };
}
