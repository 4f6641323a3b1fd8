// What every benchmark reports: rows of metric / value / target / pass, rendered as one markdown
// table, plus the machine the numbers were taken on.
import os from 'node:os';

export interface BenchRow {
  metric: string;
  value: string;
  /** What the issue asks for ('' when the row is context, not a requirement). */
  target: string;
  /** null: no target, or not measured. */
  pass: boolean | null;
  detail?: string;
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const mark = (r: BenchRow) => (r.pass === null ? (r.target ? 'not measured' : '') : r.pass ? 'pass' : 'MISS');
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const withDetail = rows.some((r) => r.detail);
  const head = withDetail ? '| metric | value | target | result | detail |' : '| metric | value | target | result |';
  return [
    head,
    withDetail ? '| --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- |',
    ...rows.map((r) => {
      const cells = [r.metric, r.value, r.target, mark(r), ...(withDetail ? [r.detail ?? ''] : [])];
      return `| ${cells.map(cell).join(' | ')} |`;
    }),
  ].join('\n');
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the benchmark started: other work on the machine skews numbers. */
  loadAverage: number;
}

export function machine(): Machine {
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg()[0] ?? 0,
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB.toFixed(1)} GiB memory, Node ${m.node}, ${m.platform}; 1-min load average ${m.loadAverage.toFixed(2)} at the start`;
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : n.toFixed(0)} ms` : 'unanswered'),
  ratio: (n: number) => n.toFixed(2),
};
