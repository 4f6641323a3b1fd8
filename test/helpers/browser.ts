// Debian's chromium driven by playwright-core (never a downloaded browser), and the dashboard app
// listening on a free port with real Redis queues, for the dashboard's browser tests and the
// screenshot script.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createProducerConnection } from '../../src/queue/connection.ts';
import { createQueues, type Queues } from '../../src/queue/producers.ts';
import { ArtifactStore } from '../../src/store/artifacts.ts';
import { buildTestApp, SECRETS, TEST_DASHBOARD_TOKEN, type TestApp } from './app.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface DashboardServer {
  t: TestApp;
  base: string;
  dataDir: string;
  queues: Queues;
  redisUrl: string;
  prefix: string;
  close(): Promise<void>;
}

export const TRACE_UI = 'http://traces.example.test/trace/{traceId}';

/** buildTestApp with the stage queues on the shared Redis (a unique prefix) and a temp data dir,
 * listening; `env` adds configuration (publishing to a GitHub fake, OAuth sign-in). */
export async function startDashboard(env: Record<string, string> = {}): Promise<DashboardServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tracefix-dash-'));
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `dash-${randomBytes(4).toString('hex')}`;
  const redis = createProducerConnection(redisUrl);
  const queues = createQueues(redis, prefix);
  const t = await buildTestApp(
    { ...SECRETS, TRACEFIX_DATA_DIR: dataDir, REDIS_URL: redisUrl, TRACEFIX_QUEUE_PREFIX: prefix, TRACEFIX_TRACE_UI_URL: TRACE_UI, LOG_LEVEL: 'warn', ...env },
    { deps: { queues, redis, artifacts: new ArtifactStore(dataDir) } },
  );
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  await t.app.live.ready();
  const address = t.app.server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    t,
    base: `http://127.0.0.1:${port}`,
    dataDir,
    queues,
    redisUrl,
    prefix,
    close: async () => {
      await t.close();
      for (const q of Object.values(queues)) if (typeof q === 'object' && 'obliterate' in q) await q.obliterate({ force: true }).catch(() => undefined);
      await queues.close();
      redis.disconnect();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the /login form, as a person would. */
export async function signIn(page: Page, base: string, token = TEST_DASHBOARD_TOKEN): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Dashboard token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}
