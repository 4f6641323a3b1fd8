// Intake benchmark: signed Sentry `event_alert` deliveries over loopback into the durable incident
// store, against a bare Fastify route answering 202, in the same run on the same machine.
//   node bench/intake.ts [pglite|postgres ...]   prints a markdown table
//   runIntakeBench(options)                      returns the rows (bench/run.ts collects them)
// Per database: (a) max throughput, autocannon with 10 connections for 10 s, of the bare route
// and then of tracefix → req/s ratio; (b) tracefix at 500 req/s, once with autocannon's
// overallRate (each connection's share of a second is sent back to back) and once with paced
// arrivals (one request every 2 ms, latency from when it was due) → p99. Every delivery is signed
// over its own bytes, has its own Request-ID, and carries one of 50 errors, so most deliveries
// attach to an open incident and 50 create one. Afterwards every 2xx delivery id must be in the
// deliveries table. Servers run in child processes (bench/support/intake-server.ts).
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { POSTGRES_URL } from '../test/helpers/databases.ts';
import type { ChildMessage, IntakeTarget, ParentMessage } from './support/intake-server.ts';
import { pacedLoad } from './support/paced-load.ts';
import { fmt, markdownTable, type BenchRow } from './support/report.ts';
import { sentryDeliveryFactory, type DeliveryFactory } from './support/sentry-deliveries.ts';

export interface IntakeBenchOptions {
  /** Databases to measure; default both. Postgres is "not measured" when it cannot be reached. */
  databases?: ('pglite' | 'postgres')[];
  durationSeconds?: number;
  warmupSeconds?: number;
  connections?: number;
  rate?: number;
  fingerprints?: number;
  /** Write V8 CPU profiles of the tracefix servers here (node --cpu-prof). */
  profileDir?: string;
}

export const INTAKE_TARGETS = { ratio: 0.3, p99Ms: 50, rate: 500 } as const;

const SERVER = fileURLToPath(new URL('./support/intake-server.ts', import.meta.url));
const PATH = '/webhooks/sentry';

class Server {
  readonly child: ChildProcess;
  private constructor(child: ChildProcess) {
    this.child = child;
  }

  static async start(target: IntakeTarget, execArgv: string[] = []): Promise<{ server: Server; port: number }> {
    const child = fork(SERVER, [target], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const server = new Server(child);
    const reply = await server.next('listening');
    return { server, port: reply.port };
  }

  private next<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type && message.type !== 'failed') return;
        cleanup();
        if (message.type === 'failed') reject(new Error(`intake server: ${message.message}`));
        else resolve(message as Extract<ChildMessage, { type: T }>);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`intake server exited (${code}) before answering ${type}`));
      };
      const cleanup = () => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }

  async ask<T extends ParentMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> {
    const answer = this.next(type as ChildMessage['type'] & T);
    this.child.send({ type } satisfies ParentMessage);
    return answer as Promise<Extract<ChildMessage, { type: T }>>;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.ask('close').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** What the load generators saw from tracefix: 2xx delivery ids and the recorded statuses. */
class Tally {
  readonly ids = new Set<string>();
  readonly outcomes: Record<string, number> = {};
  twoXx = 0;
  other = 0;
  record(status: number, body: string): void {
    if (status < 200 || status > 299) {
      this.other++;
      return;
    }
    this.twoXx++;
    const parsed = JSON.parse(body) as { deliveryId?: string; status?: string };
    if (parsed.deliveryId) this.ids.add(parsed.deliveryId);
    const key = parsed.status ?? 'unknown';
    this.outcomes[key] = (this.outcomes[key] ?? 0) + 1;
  }
}

interface CannonRun {
  rps: number;
  p50: number;
  p99: number;
  twoXx: number;
  failures: number;
  result: autocannon.Result;
}

async function cannon(
  port: number,
  deliveries: DeliveryFactory,
  tally: Tally | undefined,
  options: { connections: number; duration: number; overallRate?: number },
): Promise<CannonRun> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: options.connections,
    duration: options.duration,
    ...(options.overallRate ? { overallRate: options.overallRate, ignoreCoordinatedOmission: true } : {}),
    requests: [
      {
        method: 'POST',
        path: PATH,
        setupRequest: (request) => {
          const d = deliveries.next();
          return { ...request, body: d.body, headers: d.headers };
        },
        ...(tally ? { onResponse: (status: number, body: string) => tally.record(status, body) } : {}),
      },
    ],
  });
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    twoXx: result['2xx'],
    failures: result.non2xx + result.errors + result.timeouts,
    result,
  };
}

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `Postgres at ${POSTGRES_URL.replace(/\/\/[^@]*@/, '//')} is not reachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function measureDatabase(database: 'pglite' | 'postgres', o: Required<Omit<IntakeBenchOptions, 'profileDir' | 'databases'>> & IntakeBenchOptions): Promise<BenchRow[]> {
  const deliveries = sentryDeliveryFactory({ fingerprints: o.fingerprints });
  const rows: BenchRow[] = [];
  const label = (s: string) => `${database}: ${s}`;

  // (a) the baseline first, alone, then tracefix, alone: the ratio compares neighbours in time.
  const bare = await Server.start('bare');
  let bareRun: CannonRun;
  let bareCpuMs: number;
  let bareLoad: number;
  try {
    await cannon(bare.port, deliveries, undefined, { connections: o.connections, duration: o.warmupSeconds });
    const cpuBefore = (await bare.server.ask('stats')).cpuMs;
    bareLoad = os.loadavg()[0] ?? 0;
    bareRun = await cannon(bare.port, deliveries, undefined, { connections: o.connections, duration: o.durationSeconds });
    bareCpuMs = ((await bare.server.ask('stats')).cpuMs - cpuBefore) / Math.max(1, bareRun.twoXx);
  } finally {
    await bare.server.close();
  }

  const execArgv = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [];
  const { server, port } = await Server.start(database, execArgv);
  const tally = new Tally();
  try {
    await cannon(port, deliveries, tally, { connections: o.connections, duration: o.warmupSeconds });
    const before = await server.ask('stats');
    const loadBefore = os.loadavg()[0] ?? 0;
    const countBefore = tally.twoXx;
    const max = await cannon(port, deliveries, tally, { connections: o.connections, duration: o.durationSeconds });
    const afterMax = await server.ask('stats');
    const loadAfter = os.loadavg()[0] ?? 0;
    const cpuMax = afterMax.cpuMs - before.cpuMs;
    const countMax = tally.twoXx - countBefore;
    const perDelivery = (ms: number) => (ms / Math.max(1, countMax)).toFixed(2);
    const databaseCpu =
      afterMax.databaseCpuMs !== undefined && before.databaseCpuMs !== undefined
        ? ` + Postgres backends ${perDelivery(afterMax.databaseCpuMs - before.databaseCpuMs)} ms`
        : '';
    const batch = countMax / Math.max(1, afterMax.batchWrites - before.batchWrites);
    const atRate = await cannon(port, deliveries, tally, { connections: o.connections, duration: o.durationSeconds, overallRate: o.rate });
    const paced = await pacedLoad({
      port,
      path: PATH,
      rate: o.rate,
      durationMs: o.durationSeconds * 1000,
      next: () => deliveries.next(),
      onResponse: (status, body) => tally.record(status, body),
    });
    const stats = await server.ask('stats');
    const stored = new Set((await server.ask('deliveryIds')).ids);
    const missing = [...tally.ids].filter((id) => !stored.has(id)).length;

    const ratio = max.rps / bareRun.rps;
    const pacedFailures = paced.sent - (Object.entries(paced.statuses).filter(([k]) => /^2\d\d$/.test(k)).reduce((s, [, n]) => s + n, 0));
    const failures = tally.other + max.failures + atRate.failures + pacedFailures;
    const rateOk = (achieved: number) => achieved >= 0.95 * o.rate;
    const atRateAchieved = atRate.twoXx / atRate.result.duration;
    rows.push(
      { metric: label('bare Fastify route (202), max throughput'), value: `${fmt.int(bareRun.rps)} req/s`, target: '', pass: null, detail: `p50 ${fmt.ms(bareRun.p50)}, p99 ${fmt.ms(bareRun.p99)}; server CPU ${bareCpuMs.toFixed(2)} ms per request; 1-min load ${bareLoad.toFixed(1)}` },
      {
        metric: label('tracefix, max throughput'),
        value: `${fmt.int(max.rps)} req/s`,
        target: '',
        pass: null,
        detail:
          `p50 ${fmt.ms(max.p50)}, p99 ${fmt.ms(max.p99)}; server CPU ${perDelivery(cpuMax)} ms per delivery${databaseCpu}; ` +
          `${batch.toFixed(1)} deliveries per database write; 1-min load ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
      },
      { metric: label('throughput ratio tracefix / bare'), value: fmt.ratio(ratio), target: `≥ ${INTAKE_TARGETS.ratio}`, pass: ratio >= INTAKE_TARGETS.ratio },
      {
        metric: label(`p99 at ${o.rate} req/s (autocannon overallRate)`),
        value: fmt.ms(atRate.p99),
        target: `< ${INTAKE_TARGETS.p99Ms} ms`,
        pass: atRate.p99 < INTAKE_TARGETS.p99Ms && rateOk(atRateAchieved),
        detail: `achieved ${fmt.int(atRateAchieved)} req/s, p50 ${fmt.ms(atRate.p50)}`,
      },
      {
        metric: label(`p99 at ${o.rate} req/s (paced arrivals)`),
        value: fmt.ms(paced.p99),
        target: `< ${INTAKE_TARGETS.p99Ms} ms`,
        pass: paced.p99 < INTAKE_TARGETS.p99Ms && rateOk(paced.achievedRate),
        detail: `achieved ${fmt.int(paced.achievedRate)} req/s, p50 ${fmt.ms(paced.p50)}, max ${fmt.ms(paced.max)}`,
      },
      { metric: label('non-2xx answers and errors'), value: String(failures), target: '0', pass: failures === 0 },
      {
        metric: label('2xx deliveries found in the store'),
        value: `${fmt.int(tally.ids.size - missing)} of ${fmt.int(tally.ids.size)}`,
        target: 'all',
        pass: missing === 0 && tally.ids.size === tally.twoXx,
        detail: `${fmt.int(stored.size)} rows (requests still in flight when a run stopped are stored but not counted); ` +
          Object.entries(tally.outcomes).map(([k, n]) => `${k} ${fmt.int(n)}`).join(', ') +
          `; server RSS ${stats.rssMb.toFixed(0)} MB`,
      },
    );
  } finally {
    await server.close();
  }
  return rows;
}

export async function runIntakeBench(options: IntakeBenchOptions = {}): Promise<BenchRow[]> {
  const o = {
    durationSeconds: 10,
    warmupSeconds: 3,
    connections: 10,
    rate: INTAKE_TARGETS.rate,
    fingerprints: 50,
    ...options,
  };
  const rows: BenchRow[] = [];
  for (const database of options.databases ?? (['pglite', 'postgres'] as const)) {
    const unavailable = database === 'postgres' ? await postgresReachable() : undefined;
    if (unavailable) {
      rows.push({ metric: `${database}: all`, value: `not measured: ${unavailable}`, target: '', pass: null });
      continue;
    }
    rows.push(...(await measureDatabase(database, o)));
  }
  return rows;
}

if (import.meta.main) {
  const databases = process.argv.slice(2).filter((a): a is 'pglite' | 'postgres' => a === 'pglite' || a === 'postgres');
  const rows = await runIntakeBench(databases.length ? { databases } : {});
  console.log(markdownTable(rows));
}
