// An open-loop load generator: request i is due at start + i / rate, whatever happened to the
// earlier ones, and its latency is measured from when it was due (not from when a free connection
// sent it), so a stalled server shows up in the tail instead of lowering the send rate
// ("coordinated omission"). autocannon's overallRate instead sends each connection's share of a
// second back to back at the start of the second; this is the smooth-arrival counterpart.
import http from 'node:http';

export interface PacedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface PacedOptions {
  port: number;
  path: string;
  rate: number;
  durationMs: number;
  next(): PacedRequest;
  onResponse?(status: number, body: string): void;
  /** Sockets the agent may open; a request waits for one when all are busy (counted in its latency). */
  maxSockets?: number;
}

export interface PacedResult {
  sent: number;
  /** Responses per status code; transport errors under 'error', never answered under 'unanswered'. */
  statuses: Record<string, number>;
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export async function pacedLoad(options: PacedOptions): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const interval = 1000 / options.rate;
  const total = Math.floor((options.durationMs / 1000) * options.rate);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const count = (key: string) => {
    statuses[key] = (statuses[key] ?? 0) + 1;
  };
  let sent = 0;
  let finished = 0;
  let cut = false;
  let timer: NodeJS.Timeout | undefined;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    if (total === 0) return resolve();
    const done = () => {
      if (cut) return;
      finished++;
      if (finished === total) {
        clearTimeout(timer);
        resolve();
      }
    };
    const fire = (due: number) => {
      const { body, headers } = options.next();
      const request = http.request(
        { agent, host: '127.0.0.1', port: options.port, path: options.path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            if (cut) return;
            latencies.push(performance.now() - due);
            count(String(response.statusCode));
            options.onResponse?.(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
            done();
          });
        },
      );
      request.on('error', () => {
        if (cut) return;
        count('error');
        done();
      });
      request.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) fire(start + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
    // A server far below the rate would take minutes to drain the queue; what is still
    // unanswered a minute after the last send counts as 'unanswered' (and fails the run).
    timer = setTimeout(() => {
      cut = true;
      statuses.unanswered = total - finished;
      // Unanswered requests are slower than any answered one: they sit at the top of the tail.
      for (let i = finished; i < total; i++) latencies.push(Number.POSITIVE_INFINITY);
      resolve();
    }, options.durationMs + 60_000);
  });
  // Completions over the time until the last one: below `rate` when the server fell behind.
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    sent,
    statuses,
    achievedRate: finished / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}
