// Spectrum-based fault localization: which lines the failing reproduction ran, against which lines
// the passing tests ran. A line run by the failing test and by few passing tests is suspicious;
// Ochiai turns the four counts into a score in [0, 1]:
//   ochiai = ef / sqrt((ef + nf) * (ef + ep))
// ef/ep: failing/passing tests that ran the line; nf/np: failing/passing tests that did not.
// Ochiai is the formula that has done best across studies of SBFL on real bugs (Abreu et al.
// 2007; Pearson et al. 2017), and it needs no tuning.
import type { TestCoverage } from '../../../schemas/test-results.ts';

export interface LineSpectrum {
  file: string;
  line: number;
  ef: number;
  ep: number;
  nf: number;
  np: number;
  ochiai: number;
}

export function ochiai(ef: number, ep: number, nf: number): number {
  const denominator = Math.sqrt((ef + nf) * (ef + ep));
  return denominator === 0 ? 0 : ef / denominator;
}

export interface SpectrumInput {
  coverage: TestCoverage;
  /** Test ids that failed (the reproduction). Ids without coverage are left out of the counts. */
  failing: readonly string[];
  passing: readonly string[];
}

export interface Spectrum {
  /** Lines run by at least one failing test, by file then line. */
  lines: LineSpectrum[];
  failing: string[];
  passing: string[];
  /** Distinct (file, line) pairs run by any counted test. */
  coveredLines: number;
}

export function buildSpectrum(input: SpectrumInput): Spectrum {
  const failing = input.failing.filter((id) => input.coverage[id] !== undefined);
  const passing = input.passing.filter((id) => input.coverage[id] !== undefined && !failing.includes(id));
  const counts = new Map<string, { file: string; line: number; ef: number; ep: number }>();
  const count = (ids: readonly string[], field: 'ef' | 'ep') => {
    for (const id of ids) {
      for (const [file, lines] of Object.entries(input.coverage[id] ?? {})) {
        for (const line of new Set(lines)) {
          const key = `${file}\0${line}`;
          const entry = counts.get(key) ?? { file, line, ef: 0, ep: 0 };
          entry[field]++;
          counts.set(key, entry);
        }
      }
    }
  };
  count(failing, 'ef');
  count(passing, 'ep');
  const lines: LineSpectrum[] = [];
  for (const c of counts.values()) {
    if (c.ef === 0) continue;
    const nf = failing.length - c.ef;
    lines.push({ ...c, nf, np: passing.length - c.ep, ochiai: ochiai(c.ef, c.ep, nf) });
  }
  lines.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { lines, failing, passing, coveredLines: counts.size };
}
