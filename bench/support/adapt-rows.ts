// The benchmarks return rows of their own shapes; the report wants metric / value / target / pass.
// Known shapes are recognised by their fields, so a module can change its row type without the
// runner inventing anything: an unknown shape is shown field by field, with no target.
import type { BenchRow } from './report.ts';

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null;
const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'number' ? formatNumber(v) : String(v));
const formatNumber = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 }));

export function adaptRows(rows: unknown): BenchRow[] {
  if (!Array.isArray(rows)) throw new Error(`expected an array of rows, got ${typeof rows}`);
  const out: BenchRow[] = [];
  for (const row of rows) {
    if (!isObject(row)) throw new Error(`expected row objects, got ${typeof row}`);
    if (typeof row.metric === 'string' && 'value' in row) out.push(fromMetricRow(row));
    else if (typeof row.encoding === 'string' && typeof row.spansPerSecond === 'number') out.push(fromOtlpRow(row));
    else out.push({ metric: 'row', value: Object.entries(row).map(([k, v]) => `${k}=${text(v)}`).join(', '), target: '', pass: null });
  }
  return [...out, ...otlpRatios(rows as Loose[])];
}

/** {metric, value, target?, pass? | met?, unit?, driver?, samples?, note? | detail?} */
function fromMetricRow(row: Loose): BenchRow {
  const pass = typeof row.pass === 'boolean' ? row.pass : typeof row.met === 'boolean' ? row.met : null;
  const target = text(row.target);
  const detail = [row.samples !== undefined ? `${text(row.samples)} samples` : '', text(row.note ?? row.detail)].filter(Boolean).join('; ');
  return {
    metric: row.driver ? `${text(row.metric)} (${text(row.driver)})` : text(row.metric),
    value: row.unit ? `${text(row.value)} ${text(row.unit)}` : text(row.value),
    target,
    pass: target ? pass : null,
    ...(detail ? { detail } : {}),
  };
}

/** bench/otlp-ingest.ts: {encoding, path, spans, seconds, spansPerSecond, spansPerCpuSecond} */
function fromOtlpRow(row: Loose): BenchRow {
  return {
    metric: `${text(row.encoding)}: ${text(row.path)}`,
    value: `${formatNumber(Math.round(row.spansPerSecond as number))} spans/s`,
    target: '',
    pass: null,
    detail: `${formatNumber(Math.round(Number(row.spansPerCpuSecond)))} spans per CPU-second; ${text(row.spans)} spans in ${text(row.seconds)} s`,
  };
}

/** For OTLP rows: the store path's throughput as a share of the parse-only baseline, per encoding. */
function otlpRatios(rows: Loose[]): BenchRow[] {
  const out: BenchRow[] = [];
  const encodings = new Set(rows.filter((r) => typeof r.encoding === 'string').map((r) => r.encoding as string));
  for (const encoding of encodings) {
    const same = rows.filter((r) => r.encoding === encoding && typeof r.spansPerSecond === 'number');
    const baseline = same.find((r) => String(r.path).startsWith('baseline'));
    const last = same.at(-1);
    if (!baseline || !last || last === baseline) continue;
    out.push({
      metric: `${encoding}: ${text(last.path)} ÷ ${text(baseline.path)}`,
      value: ((last.spansPerSecond as number) / (baseline.spansPerSecond as number)).toFixed(3),
      target: '',
      pass: null,
    });
  }
  return out;
}
