// Intake benchmark: signed Sentry `event_alert` deliveries over loopback into the durable incident
// store, against a bare Fastify route answering 202, in the same run on the same machine.
//   node bench/intake.ts [pglite|postgres ...]   prints a markdown table
//   runIntakeBench(options)                      returns the rows (bench/run.ts collects them)
// Per database: (a) max throughput, autocannon for 10 s with 10 and then 50 connections, each
// server keeping its best, of the bare route, of the ceiling (intake's own work with nothing
// stored) and of tracefix → req/s ratios; (b) tracefix at 500 req/s, once with autocannon's
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
import { pacedLoad, type PacedResult } from './support/paced-load.ts';
import { fmt, markdownTable, type BenchRow } from './support/report.ts';
import { sentryDeliveryFactory, type DeliveryFactory } from './support/sentry-deliveries.ts';
import { stealDetail, stealMeter } from './support/steal.ts';

export interface IntakeBenchOptions {
  /** Databases to measure; default both. Postgres is "not measured" when it cannot be reached. */
  databases?: ('pglite' | 'postgres')[];
  durationSeconds?: number;
  warmupSeconds?: number;
  /** Connection counts offered to each server for max throughput; each keeps its best. The first
   * is also used for warm-ups and for the fixed-rate run. */
  connectionCounts?: number[];
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

type MaxOptions = { connectionCounts: readonly number[]; durationSeconds: number; warmupSeconds: number };

/** Max throughput of one server: after a warm-up, one run per connection count, the best kept.
 * A server that batches its writes needs more requests in flight than one that answers at once
 * before it is saturated; offering both the same counts measures each at its own best. */
async function maxThroughput(
  server: Server,
  port: number,
  deliveries: DeliveryFactory,
  tally: Tally | undefined,
  o: MaxOptions,
): Promise<MaxRun> {
  await cannon(port, deliveries, tally, { connections: o.connectionCounts[0] ?? 10, duration: o.warmupSeconds });
  const runs: MaxRun[] = [];
  for (const connections of o.connectionCounts) {
    const before = await server.ask('stats');
    const loadBefore = os.loadavg()[0] ?? 0;
    const countBefore = tally?.twoXx ?? 0;
    const stolen = stealMeter();
    const run = await cannon(port, deliveries, tally, { connections, duration: o.durationSeconds });
    const steal = stolen();
    const after = await server.ask('stats');
    // With a tally, only the deliveries it saw answered 2xx count (its ids are checked in the store).
    const answered = tally ? tally.twoXx - countBefore : run.twoXx;
    runs.push({
      ...run,
      connections,
      answered,
      cpuMs: after.cpuMs - before.cpuMs,
      databaseCpuMs:
        after.databaseCpuMs !== undefined && before.databaseCpuMs !== undefined ? after.databaseCpuMs - before.databaseCpuMs : undefined,
      writes: after.batchWrites - before.batchWrites,
      loadBefore,
      loadAfter: os.loadavg()[0] ?? 0,
      steal,
    });
  }
  const best = runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  return { ...best, all: runs };
}

interface MaxRun extends CannonRun {
  connections: number;
  answered: number;
  cpuMs: number;
  databaseCpuMs: number | undefined;
  writes: number;
  loadBefore: number;
  loadAfter: number;
  /** Share of the machine's CPU the hypervisor gave to other guests during the run. */
  steal: number | undefined;
  all?: MaxRun[];
}

/** "10 conn 2,410 req/s, 50 conn 3,020 req/s" */
function perConnections(run: MaxRun): string {
  return (run.all ?? [run]).map((r) => `${r.connections} conn ${fmt.int(r.rps)} req/s`).join(', ');
}

/** A bare or ceiling server, alone, measured and closed; with `pacedRate`, also under paced arrivals. */
async function measureReference(
  target: 'bare' | 'ceiling',
  deliveries: DeliveryFactory,
  o: MaxOptions,
  pacedRate?: number,
): Promise<{ max: MaxRun; paced?: Paced }> {
  const { server, port } = await Server.start(target);
  try {
    const max = await maxThroughput(server, port, deliveries, undefined, o);
    if (!pacedRate) return { max };
    return { max, paced: await paced(port, deliveries, undefined, pacedRate, o.durationSeconds) };
  } finally {
    await server.close();
  }
}

type Paced = PacedResult & { steal: number | undefined };

async function paced(port: number, deliveries: DeliveryFactory, tally: Tally | undefined, rate: number, durationSeconds: number): Promise<Paced> {
  const stolen = stealMeter();
  const result = await pacedLoad({
    port,
    path: PATH,
    rate,
    durationMs: durationSeconds * 1000,
    next: () => deliveries.next(),
    ...(tally ? { onResponse: (status: number, body: string) => tally.record(status, body) } : {}),
  });
  return { ...result, steal: stolen() };
}

async function measureDatabase(database: 'pglite' | 'postgres', o: Required<Omit<IntakeBenchOptions, 'profileDir' | 'databases'>> & IntakeBenchOptions): Promise<BenchRow[]> {
  const deliveries = sentryDeliveryFactory({ fingerprints: o.fingerprints });
  const rows: BenchRow[] = [];
  const label = (s: string) => `${database}: ${s}`;

  // (a) the baseline first, alone, then the ceiling, then tracefix, each alone: the ratios compare
  // neighbours in time.
  const bare = await measureReference('bare', deliveries, o, o.rate);
  const bareRun = bare.max;
  const ceilingRun = (await measureReference('ceiling', deliveries, o)).max;

  const execArgv = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [];
  const { server, port } = await Server.start(database, execArgv);
  const tally = new Tally();
  try {
    const max = await maxThroughput(server, port, deliveries, tally, o);
    const perDelivery = (ms: number) => (ms / Math.max(1, max.answered)).toFixed(2);
    const databaseCpu = max.databaseCpuMs !== undefined ? ` + Postgres backends ${perDelivery(max.databaseCpuMs)} ms` : '';
    const batch = max.answered / Math.max(1, max.writes);
    const rateConnections = o.connectionCounts[0] ?? 10;
    const atRateStolen = stealMeter();
    const atRate = await cannon(port, deliveries, tally, { connections: rateConnections, duration: o.durationSeconds, overallRate: o.rate });
    const atRateSteal = atRateStolen();
    const pacedRun = await paced(port, deliveries, tally, o.rate, o.durationSeconds);
    const stats = await server.ask('stats');
    const stored = new Set((await server.ask('deliveryIds')).ids);
    const missing = [...tally.ids].filter((id) => !stored.has(id)).length;

    const ratio = max.rps / bareRun.rps;
    const ceilingRatio = ceilingRun.rps / bareRun.rps;
    const pacedFailures = pacedRun.sent - (Object.entries(pacedRun.statuses).filter(([k]) => /^2\d\d$/.test(k)).reduce((s, [, n]) => s + n, 0));
    const failures = tally.other + max.failures + atRate.failures + pacedFailures;
    const rateOk = (achieved: number) => achieved >= 0.95 * o.rate;
    const atRateAchieved = atRate.twoXx / atRate.result.duration;
    const reference = (run: MaxRun, what: string) =>
      `${perConnections(run)}; at ${run.connections}: p50 ${fmt.ms(run.p50)}, p99 ${fmt.ms(run.p99)}, server CPU ` +
      `${(run.cpuMs / Math.max(1, run.answered)).toFixed(2)} ms per ${what}; 1-min load ${run.loadBefore.toFixed(1)}${stealDetail(run.steal)}`;
    const pacedDetail = (run: Paced) =>
      `achieved ${fmt.int(run.achievedRate)} req/s, p50 ${fmt.ms(run.p50)}, max ${fmt.ms(run.max)}${stealDetail(run.steal)}`;
    rows.push(
      { metric: label('bare Fastify route (202), max throughput'), value: `${fmt.int(bareRun.rps)} req/s`, target: '', pass: null, detail: reference(bareRun, 'request') },
      {
        metric: label('ceiling: verify + parse + validate, nothing stored, max throughput'),
        value: `${fmt.int(ceilingRun.rps)} req/s`,
        target: '',
        pass: null,
        detail: reference(ceilingRun, 'delivery'),
      },
      {
        metric: label('tracefix, max throughput'),
        value: `${fmt.int(max.rps)} req/s`,
        target: '',
        pass: null,
        detail:
          `${perConnections(max)}; at ${max.connections}: p50 ${fmt.ms(max.p50)}, p99 ${fmt.ms(max.p99)}; ` +
          `server CPU ${perDelivery(max.cpuMs)} ms per delivery${databaseCpu}; ` +
          `${batch.toFixed(1)} deliveries per database write; 1-min load ${max.loadBefore.toFixed(1)} → ${max.loadAfter.toFixed(1)}` +
          stealDetail(max.steal),
      },
      { metric: label('throughput ratio tracefix / bare'), value: fmt.ratio(ratio), target: `≥ ${INTAKE_TARGETS.ratio}`, pass: ratio >= INTAKE_TARGETS.ratio },
      {
        metric: label('ceiling ratio (nothing stored) / bare'),
        value: fmt.ratio(ceilingRatio),
        target: '',
        pass: null,
        detail: `tracefix reaches ${fmt.ratio(max.rps / ceilingRun.rps)} of the ceiling`,
      },
      {
        metric: label(`p99 at ${o.rate} req/s (autocannon overallRate, ${rateConnections} connections)`),
        value: fmt.ms(atRate.p99),
        target: `< ${INTAKE_TARGETS.p99Ms} ms`,
        pass: atRate.p99 < INTAKE_TARGETS.p99Ms && rateOk(atRateAchieved),
        detail: `achieved ${fmt.int(atRateAchieved)} req/s, p50 ${fmt.ms(atRate.p50)}${stealDetail(atRateSteal)}`,
      },
      {
        metric: label(`p99 at ${o.rate} req/s (paced arrivals)`),
        value: fmt.ms(pacedRun.p99),
        target: `< ${INTAKE_TARGETS.p99Ms} ms`,
        pass: pacedRun.p99 < INTAKE_TARGETS.p99Ms && rateOk(pacedRun.achievedRate),
        detail: pacedDetail(pacedRun),
      },
      ...(bare.paced
        ? [{ metric: label(`bare route: p99 at ${o.rate} req/s (paced arrivals)`), value: fmt.ms(bare.paced.p99), target: '', pass: null, detail: pacedDetail(bare.paced) }]
        : []),
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
    connectionCounts: [10, 50],
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
