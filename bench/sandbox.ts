// Sandbox benchmark: what a sandbox costs over running the same thing on the host. Every number
// in the table is measured in the same run, on this machine, against real Docker and bubblewrap.
//
//   node bench/sandbox.ts                          print the markdown section
//   node bench/sandbox.ts --write docs/benchmarks.md   also replace the section in that file
//
// runSandboxBench() returns the rows for a bench runner; sandboxBenchMarkdown() renders them.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDockerDriver } from '../src/sandbox/docker/driver.ts';
import { sandboxImage } from '../src/sandbox/images.ts';
import { createLocalDriver } from '../src/sandbox/local/driver.ts';
import type { SandboxDriver } from '../src/sandbox/types.ts';

export interface SandboxBenchRow {
  metric: string;
  driver: 'docker' | 'local';
  /** Median of the samples. */
  value: number;
  unit: 'ms' | 'x';
  samples: number;
  /** What the value is compared with, e.g. "≤ 100 ms". */
  target?: string;
  met?: boolean;
  note?: string;
}

export interface SandboxBenchOptions {
  drivers?: Array<'docker' | 'local'>;
  execSamples?: number;
  createSamples?: number;
  suiteSamples?: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Wall time of one host process, spawned the way a sandbox driver spawns (async, piped). */
function hostRun(file: string, args: string[], cwd?: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${file} exited ${code}`))));
  });
}

function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefix-bench-'));
  fs.mkdirSync(path.join(dir, 'test'));
  // A small node:test suite: 4 files × 10 tests, a little real work in each.
  for (let f = 0; f < 4; f++) {
    const tests = Array.from({ length: 10 }, (_, i) =>
      `test('case ${i}', () => { const a = Array.from({ length: 2000 }, (_, k) => (k * ${i + 1}) % 97); assert.equal(a.length, 2000); });`,
    ).join('\n');
    fs.writeFileSync(path.join(dir, 'test', `suite-${f}.test.mjs`), `import test from 'node:test';\nimport assert from 'node:assert/strict';\n${tests}\n`);
  }
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=bench', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'bench');
  return dir;
}

const SUITE_ARGV = ['node', '--test'];

async function benchDriver(name: 'docker' | 'local', driver: SandboxDriver, o: Required<SandboxBenchOptions>): Promise<SandboxBenchRow[]> {
  const image = sandboxImage('node');
  const workspaceDir = makeWorkspace();
  const rows: SandboxBenchRow[] = [];
  try {
    // Create (+ start for docker): each sample is a fresh sandbox, destroyed untimed.
    const creates: number[] = [];
    for (let i = 0; i < o.createSamples; i++) {
      const started = performance.now();
      const sandbox = await driver.create({ image, workspaceDir });
      creates.push(performance.now() - started);
      await sandbox.destroy();
    }
    rows.push({
      metric: name === 'docker' ? 'create + start container' : 'create sandbox',
      driver: name,
      value: round(median(creates)),
      unit: 'ms',
      samples: creates.length,
      ...(name === 'docker' ? { target: '≤ 1500 ms', met: median(creates) <= 1500 } : {}),
    });

    const sandbox = await driver.create({ image, workspaceDir });
    try {
      await sandbox.exec(['true']); // warm-up
      const sandboxed: number[] = [];
      const host: number[] = [];
      for (let i = 0; i < o.execSamples; i++) {
        const started = performance.now();
        await sandbox.exec(['true']);
        sandboxed.push(performance.now() - started);
        host.push(await hostRun('true', []));
      }
      const overhead = median(sandboxed) - median(host);
      rows.push({
        metric: 'warm exec `true`, overhead over host',
        driver: name,
        value: round(overhead),
        unit: 'ms',
        samples: sandboxed.length,
        target: '≤ 100 ms',
        met: overhead <= 100,
        note: `sandbox ${round(median(sandboxed))} ms, host ${round(median(host))} ms`,
      });

      const inSandbox: number[] = [];
      const onHost: number[] = [];
      await sandbox.exec(SUITE_ARGV, { timeoutMs: 120_000 }); // warm-up (page cache)
      for (let i = 0; i < o.suiteSamples; i++) {
        const started = performance.now();
        const r = await sandbox.exec(SUITE_ARGV, { timeoutMs: 120_000 });
        if (r.exitCode !== 0) throw new Error(`suite failed in the ${name} sandbox: ${r.stdout}${r.stderr}`);
        inSandbox.push(performance.now() - started);
        onHost.push(await hostRun(process.execPath, ['--test'], workspaceDir));
      }
      rows.push({
        metric: 'node:test suite (4 files, 40 tests), sandbox / host',
        driver: name,
        value: round(median(inSandbox) / median(onHost), 2),
        unit: 'x',
        samples: inSandbox.length,
        note: `sandbox ${Math.round(median(inSandbox))} ms, host ${Math.round(median(onHost))} ms`,
      });
    } finally {
      await sandbox.destroy();
    }
  } finally {
    fs.rmSync(workspaceDir, { recursive: true, force: true });
  }
  return rows;
}

export async function runSandboxBench(options: SandboxBenchOptions = {}): Promise<SandboxBenchRow[]> {
  const o: Required<SandboxBenchOptions> = {
    drivers: options.drivers ?? ['docker', 'local'],
    execSamples: options.execSamples ?? 40,
    createSamples: options.createSamples ?? 10,
    suiteSamples: options.suiteSamples ?? 5,
  };
  const rows: SandboxBenchRow[] = [];
  for (const name of o.drivers) {
    const driver = name === 'docker' ? createDockerDriver() : createLocalDriver();
    rows.push(...(await benchDriver(name, driver, o)));
    if (name === 'docker') rows.push(await dockerExecOverhead(o.execSamples));
  }
  return rows;
}

/** The docker driver without its runner: every command one `docker exec` (images without perl). */
async function dockerExecOverhead(samples: number): Promise<SandboxBenchRow> {
  const workspaceDir = makeWorkspace();
  const sandbox = await createDockerDriver({ runner: false }).create({ image: sandboxImage('node'), workspaceDir });
  try {
    await sandbox.exec(['true']); // warm-up
    const sandboxed: number[] = [];
    const host: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await sandbox.exec(['true']);
      sandboxed.push(performance.now() - started);
      host.push(await hostRun('true', []));
    }
    return {
      metric: 'warm exec `true`, overhead over host, one `docker exec` per command (no runner)',
      driver: 'docker',
      value: round(median(sandboxed) - median(host)),
      unit: 'ms',
      samples,
      note: `sandbox ${round(median(sandboxed))} ms, host ${round(median(host))} ms`,
    };
  } finally {
    await sandbox.destroy();
    fs.rmSync(workspaceDir, { recursive: true, force: true });
  }
}

export function sandboxBenchMarkdown(rows: SandboxBenchRow[], when: Date = new Date()): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  // Other work on the machine inflates every number; say how busy it was.
  const load = os.loadavg()[0]?.toFixed(1) ?? '?';
  const lines = [
    '## Sandbox',
    '',
    `Measured by \`node bench/sandbox.ts\` on ${when.toISOString().slice(0, 10)}: ${os.cpus().length} cores (${cpu}), ` +
      `Node ${process.version}, 1-min load average ${load} at the end; medians of the samples shown. ` +
      'Host baselines are spawned the same way, in the same run.',
    '',
    '| metric | driver | median | samples | target | detail |',
    '| --- | --- | ---: | ---: | --- | --- |',
    ...rows.map((r) => {
      const target = r.target ? `${r.target} ${r.met ? '(met)' : '(missed)'}` : '';
      return `| ${r.metric} | ${r.driver} | ${r.value} ${r.unit} | ${r.samples} | ${target} | ${r.note ?? ''} |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

const START = '<!-- bench:sandbox:start -->';
const END = '<!-- bench:sandbox:end -->';

/** Replaces (or appends) the marked sandbox section of a markdown file. */
export function writeSandboxSection(file: string, section: string): void {
  const block = `${START}\n${section}${END}\n`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start ? current.slice(0, start) + block + current.slice(end + END.length + 1) : `${current.trimEnd()}\n\n${block}`;
  fs.writeFileSync(file, next);
}

if (import.meta.main) {
  const rows = await runSandboxBench();
  const section = sandboxBenchMarkdown(rows);
  process.stdout.write(section);
  const at = process.argv.indexOf('--write');
  if (at >= 0 && process.argv[at + 1]) writeSandboxSection(process.argv[at + 1] as string, section);
}
