// Order statistics for the outcome figures. Percentiles use linear interpolation between closest
// ranks (the method numpy and Prometheus' histogram_quantile readers expect by default).

export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(Math.max(q, 0), 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export interface Durations {
  /** How many incidents the figure covers. */
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export function durations(seconds: readonly number[]): Durations {
  return { count: seconds.length, medianSeconds: quantile(seconds, 0.5), p90Seconds: quantile(seconds, 0.9) };
}

export interface Rate {
  key: string;
  runs: number;
  fixed: number;
  /** fixed / runs; null without runs. */
  rate: number | null;
}

export function rate(key: string, runs: number, fixed: number): Rate {
  return { key, runs, fixed, rate: runs > 0 ? fixed / runs : null };
}
