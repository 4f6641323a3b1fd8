// The live feed behind the incident list: server-sent events, fed by BullMQ's queue events (a job
// started, reported progress, finished or failed) and by intake (an incident was created). Each
// change re-reads the incident and its latest run from the database and sends the rendered row, so
// the browser never polls and never renders data itself: htmx's SSE extension swaps the HTML in.
import { QueueEvents } from 'bullmq';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { QUEUES } from '../../schemas/jobs.ts';
import type { Db } from '../store/db.ts';
import { getRun } from '../store/run-store.ts';
import type { Logger } from '../telemetry.ts';
import { listForDashboard, type ListedIncident, type ListFilter } from './incident-list.ts';
import { incidentRow, NEW_INCIDENT_EVENT, rowEvent, type Progress } from './pages/incidents-page.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The dashboard's live feed (src/dashboard/live.ts). */
    live: LiveFeed;
  }
}

const JobProgress = z.object({ stage: z.string().max(64), message: z.string().max(500).optional() });
const HEARTBEAT_MS = 20_000;
/** Changes within this window are sent as one row (progress messages come in bursts). */
const COALESCE_MS = 50;

interface Client {
  reply: FastifyReply;
  filter: ListFilter;
}

export interface LiveFeedOptions {
  db: Db;
  log: Logger;
  serviceRepos: Readonly<Record<string, string>>;
}

export class LiveFeed {
  readonly #opts: LiveFeedOptions;
  readonly #clients = new Set<Client>();
  readonly #progress = new Map<string, Progress>();
  readonly #pending = new Map<string, boolean>();
  readonly #runIncident = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #queueEvents: QueueEvents[] = [];

  constructor(opts: LiveFeedOptions) {
    this.#opts = opts;
  }

  /** Jobs in flight, by incident: the list page renders them on first load too. */
  get progress(): ReadonlyMap<string, Progress> {
    return this.#progress;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Subscribes to every stage queue's events (one blocking Redis connection per queue). */
  listenToQueues(redisUrl: string, prefix: string): void {
    for (const name of QUEUES) {
      const events = new QueueEvents(name, { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix });
      events.on('error', (error) => this.#opts.log.warn({ err: error, queue: name }, 'Queue events error'));
      events.on('active', ({ jobId }) => void this.#jobEvent(jobId, { stage: name }));
      events.on('progress', ({ jobId, data }) => {
        const parsed = JobProgress.safeParse(data);
        void this.#jobEvent(jobId, parsed.success ? parsed.data : { stage: name });
      });
      events.on('completed', ({ jobId }) => void this.#jobEvent(jobId, null));
      events.on('failed', ({ jobId }) => void this.#jobEvent(jobId, null));
      this.#queueEvents.push(events);
    }
  }

  /** Resolves when every queue subscription is connected (tests wait for it before adding jobs). */
  async ready(): Promise<void> {
    await Promise.all(this.#queueEvents.map((e) => e.waitUntilReady()));
  }

  /** Intake created an incident, or something else changed it: send its row. */
  incidentChanged(incidentId: string, created = false): void {
    this.#pending.set(incidentId, (this.#pending.get(incidentId) ?? false) || created);
    this.#timer ??= setTimeout(() => void this.#flush(), COALESCE_MS);
  }

  /** Takes over the reply as an event stream until the browser goes away. */
  attach(reply: FastifyReply, filter: ListFilter): void {
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    reply.raw.write('retry: 3000\n: connected\n\n');
    const client = { reply, filter };
    this.#clients.add(client);
    reply.raw.on('close', () => this.#clients.delete(client));
    this.#heartbeat ??= setInterval(() => {
      for (const c of this.#clients) c.reply.raw.write(': keep-alive\n\n');
    }, HEARTBEAT_MS).unref();
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    clearInterval(this.#heartbeat);
    for (const c of this.#clients) c.reply.raw.end();
    this.#clients.clear();
    await Promise.all(this.#queueEvents.map((e) => e.close().catch(() => undefined)));
  }

  async #jobEvent(jobId: string | undefined, progress: Progress | null): Promise<void> {
    if (!jobId) return;
    try {
      const incidentId = await this.#incidentOfJob(jobId);
      if (!incidentId) return;
      if (progress) this.#progress.set(incidentId, progress);
      else this.#progress.delete(incidentId);
      this.incidentChanged(incidentId);
    } catch (error) {
      this.#opts.log.warn({ err: error, jobId }, 'Live feed could not map a job to its incident');
    }
  }

  /** assemble and reproduce jobs are keyed by incident id; repair jobs by run id. */
  async #incidentOfJob(jobId: string): Promise<string | undefined> {
    if (jobId.startsWith('inc_')) return jobId;
    const known = this.#runIncident.get(jobId);
    if (known) return known;
    const run = await getRun(this.#opts.db, jobId).catch(() => null);
    if (run) this.#runIncident.set(jobId, run.incidentId);
    return run?.incidentId;
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    const batch = [...this.#pending];
    this.#pending.clear();
    for (const [incidentId, created] of batch) {
      try {
        const [item] = await listForDashboard(this.#opts.db, { id: incidentId }, this.#opts.serviceRepos, 1);
        if (item) this.#send(item, created);
      } catch (error) {
        this.#opts.log.warn({ err: error, incidentId }, 'Live feed could not read an incident');
      }
    }
  }

  #send(item: ListedIncident, created: boolean): void {
    const row = incidentRow(item, this.#progress.get(item.id)).value;
    for (const client of this.#clients) {
      const event = created ? (matches(client.filter, item, this.#opts.serviceRepos) ? NEW_INCIDENT_EVENT : undefined) : rowEvent(item.id);
      if (event) client.reply.raw.write(sseMessage(event, row));
    }
  }
}

function matches(filter: ListFilter, item: ListedIncident, serviceRepos: Readonly<Record<string, string>>): boolean {
  if (filter.before) return false; // an older page never gains new incidents
  if (filter.status && filter.status !== item.status) return false;
  if (filter.source && filter.source !== item.source) return false;
  if (filter.service && filter.service !== item.service) return false;
  if (filter.repository && filter.repository !== item.repoHint && serviceRepos[item.service ?? ''] !== filter.repository) return false;
  return true;
}

/** One SSE message; every line of the payload gets its own `data:` (a newline would end it). */
export function sseMessage(event: string, data: string): string {
  return `event: ${event}\n${data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n')}\n\n`;
}
