// Runs the benchmarks and rewrites docs/benchmarks.md.
//   npm run bench                  every benchmark, in order
//   npm run bench -- intake ...    only those named (the other sections of the file are kept)
//   npm run bench -- --no-write    print only
// Each benchmark module is imported when its turn comes: one that does not exist yet, fails to
// load, lacks its run function, or whose prerequisites are missing is reported as not measured,
// with the reason. Nothing is estimated.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { adaptRows } from './support/adapt-rows.ts';
import { writeBenchmarksDoc, type SectionResult, type SectionSpec } from './support/docs.ts';
import { machine, markdownTable, type BenchRow } from './support/report.ts';

interface BenchSpec extends SectionSpec {
  /** Relative to bench/. */
  module: string;
  exportName: string;
  /** Options for the run function, or why it cannot run here; may add rows for parts it skips. */
  prepare?(): Promise<{ options?: unknown; skipped?: BenchRow[] } | { unavailable: string }>;
}

const BENCHES: readonly BenchSpec[] = [
  {
    name: 'intake',
    title: 'Intake: signed Sentry webhooks into the incident store',
    module: './intake.ts',
    exportName: 'runIntakeBench',
    method:
      'autocannon over loopback against tracefix (`buildApp` with `openDatabase`, as `tracefix serve` builds it, in a child process; ' +
      'embedded PGlite in a fresh data directory, and Postgres in a fresh schema) and against a bare Fastify route answering 202 with the same ' +
      'raw-body parser, measured right before it, and against the ceiling: that bare app with intake\'s own work in its route (the Sentry ' +
      'source\'s signature check and parse: JSON, validation, normalization to an Alert, its fingerprint) and nothing stored or logged, ' +
      'measured between the two. Every request is a genuine `event_alert` delivery from the recorded fixture, HMAC-signed over its own ' +
      'bytes, with its own Request-ID and event id and one of 50 errors, so 50 deliveries create incidents and the rest attach. ' +
      'Max throughput: after a 3 s warm-up, 10 s with 10 connections and 10 s with 50, each server keeping its best (a server that ' +
      'batches its writes needs more requests in flight to be saturated than one that answers at once); the ratio is tracefix req/s ÷ ' +
      'bare req/s. p99 at 500 req/s (10 connections): autocannon `overallRate` (it sends each connection\'s share of a second back to back, then waits: bursts), and paced ' +
      'arrivals (one request every 2 ms, latency counted from when it was due, so falling behind shows); the bare route gets the same ' +
      'paced run, for the floor this machine sets on the tail. ' +
      'Afterwards every delivery id answered 2xx is looked up in the deliveries table. The server logs at info (one line per ' +
      'request) synchronously to /dev/null and runs no OpenTelemetry SDK (spans are no-ops).',
    notes:
      'Reading the numbers: "server CPU per request" is the CPU time of the server process alone divided by the requests it ' +
      'answered; on Postgres, "Postgres backends" adds the CPU of the database processes serving it (read from /proc), which run ' +
      'on the same cores. The bare route is cheap enough that the load generator, on the same cores, limits it: its req/s ' +
      'understates Fastify, which makes the ratio kinder to tracefix, not harsher. A tracefix delivery verifies the HMAC, parses ' +
      'and validates the event, and is answered once its write is committed. Deliveries that arrive while the database is busy ' +
      'share the next write (group commit, src/intake/writer.ts): one prepared statement, so one transaction, that inserts ' +
      'their delivery rows, upserts one incident per fingerprint, attaches their alerts and queues an outbox row per new ' +
      'incident; with n connections at most n deliveries can share one ("deliveries per database write"). The ceiling ' +
      'ratio bounds what any store could reach here: what it leaves between the ceiling and the target is all the storing may ' +
      'cost. On Postgres a write ' +
      'is a round trip to another process; PGlite runs in the server process, so its work is in the server CPU. The machine is ' +
      'shared: the 1-min load average in the details shows other work competing for the 2 cores, which costs tracefix (three ' +
      'processes that wake each other per write) more than the bare route. When the p99 rows show an achieved rate below ' +
      '500 req/s the server is past its capacity, requests queue, and the paced p99 measures the queue. "Host CPU steal" is the ' +
      'share of the machine\'s CPU time the hypervisor gave to other guests during that run (/proc/stat): while it is high, every ' +
      'process here, the load generator included, is paused now and then, and the tails grow whatever the server does.',
  },
  {
    name: 'otlp-ingest',
    title: 'OTLP ingest',
    module: './otlp-ingest.ts',
    exportName: 'runOtlpIngestBench',
    method:
      'bench/otlp-ingest.ts: SDK-serialized OTLP trace requests (JSON and protobuf) through the receiver plugin into the database trace ' +
      'store on PGlite, against parse-only baselines on the same bodies in the same run; spans per second and per CPU-second.',
  },
  {
    name: 'assemble',
    title: 'Evidence assembly',
    module: './assemble.ts',
    exportName: 'runAssembleBench',
    method:
      'bench/assemble.ts: one incident with 10k spans and 100k log records assembled into a bundle in a child process; time, peak RSS, ' +
      'and the token reduction from raw evidence to bundle.',
  },
  {
    name: 'sandbox',
    title: 'Sandbox',
    module: './sandbox.ts',
    exportName: 'runSandboxBench',
    method:
      'bench/sandbox.ts: what running in the sandbox costs over running the same thing on the host (spawned the same way, same run), ' +
      'with the Docker driver (commands through its in-container runner; and, for the warm exec, one `docker exec` per command as images ' +
      'without perl get) and the local (bubblewrap) driver.',
    async prepare() {
      const docker = await dockerAvailable();
      if (docker === true) return {};
      return {
        options: { drivers: ['local'] },
        skipped: [{ metric: 'docker driver', value: `not measured: ${docker}`, target: '', pass: null }],
      };
    },
  },
  {
    name: 'install',
    title: 'Dependency install',
    module: './install.ts',
    exportName: 'runInstallBench',
    method:
      'bench/install.ts: the examples with dependencies (sessions-js: npm, `ms` from the npm registry; rates-py: pip, a hashed ' +
      'requirement from the wheel directory it ships), each in a fresh git checkout per sample. Cold: tracefix\'s install stage ' +
      '(src/install/) with an empty cache (lockfile policy, npm ci --ignore-scripts / pip install --no-deps --only-binary as the ' +
      'unprivileged user with a private HOME, store into the cache, prune). Warm: the same on a second checkout with that cache ' +
      '(a hit: a copy, nothing fetched). Baseline: the package manager run directly on the host as a developer would, with a cache ' +
      'of its own (npm ci; pip install --target --find-links). Medians of 5; ratios are tracefix ÷ host.',
    notes:
      'Cold includes what the host run does not: asking the package manager its version once per process (part of the cache key), ' +
      'and copying the tree into the cache. The npm registry is reached through this machine\'s TLS-inspecting egress, so the npm ' +
      'rows vary with it; the pip rows read a local wheel directory.',
  },
];

async function dockerAvailable(): Promise<true | string> {
  try {
    await promisify(execFile)('docker', ['version', '--format', '{{.Server.Version}}'], { timeout: 15_000 });
    return true;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    return e.code === 'ENOENT' ? 'no docker command on this machine' : `no Docker engine answered (${(e.stderr || e.message).trim().split('\n')[0]})`;
  }
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).trim().split('\n')[0] ?? '';

async function runOne(spec: BenchSpec): Promise<SectionResult> {
  const at = new Date();
  const notMeasured = (reason: string): SectionResult => ({ kind: 'not-measured', reason, at });
  const url = new URL(spec.module, import.meta.url);
  const file = `bench/${spec.module.replace(/^\.\//, '')}`;
  if (!fs.existsSync(url)) return notMeasured(`${file} does not exist yet`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    return notMeasured(`${file} failed to load: ${firstLine(error)}`);
  }
  const run = mod[spec.exportName];
  if (typeof run !== 'function') return notMeasured(`${file} does not export ${spec.exportName}()`);
  const prepared = spec.prepare ? await spec.prepare() : {};
  if ('unavailable' in prepared) return notMeasured(prepared.unavailable);
  const before = machine();
  const started = performance.now();
  try {
    const raw: unknown = await (run as (options?: unknown) => Promise<unknown>)(prepared.options);
    const rows = [...adaptRows(raw), ...(prepared.skipped ?? [])];
    return { kind: 'measured', rows, machine: before, at, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return notMeasured(`the run failed: ${firstLine(error)}`);
  }
}

export async function runBenchmarks(names: readonly string[], options: { write?: boolean; docFile?: string } = {}): Promise<Map<string, SectionResult>> {
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  const selected = names.length ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;
  const results = new Map<string, SectionResult>();
  for (const spec of selected) {
    process.stderr.write(`bench: ${spec.name}…\n`);
    const result = await runOne(spec);
    results.set(spec.name, result);
    process.stdout.write(`\n## ${spec.title}\n\n`);
    process.stdout.write(result.kind === 'measured' ? `${markdownTable(result.rows)}\n` : `not measured: ${result.reason}\n`);
  }
  if (options.write !== false) {
    const file = options.docFile ?? fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
    writeBenchmarksDoc(file, BENCHES, results);
    process.stderr.write(`bench: wrote ${file}\n`);
  }
  return results;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  try {
    await runBenchmarks(args.filter((a) => !a.startsWith('--')), { write: !args.includes('--no-write') });
  } catch (error) {
    process.stderr.write(`bench: ${firstLine(error)}\n`);
    process.exitCode = 2;
  }
}
