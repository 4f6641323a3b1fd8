// Self-hosting as a user runs it: the tracefix image built offline, docker-compose.yml brought up
// (with test/e2e/compose/docker-compose.e2e.yml substituting Postgres and Redis images built from
// Debian's packages and putting everything on the host network), a signed Sentry alert for an
// example incident sent to the containerized `serve`, and the containerized worker reproducing
// and repairing it in a sandbox on the host's engine until the run is `fixed`. `down` must leave
// none of this stack's containers behind, sandboxes included. Skipped only when no Docker engine
// answers, and never under CI.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { Run } from '../../schemas/run.ts';
import { dashboardAuthHeaders, SECRETS, sentryHeaders, TEST_DASHBOARD_TOKEN } from '../helpers/app.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { freePort } from '../helpers/redis-server.ts';
import { sandboxImagesUnavailable } from '../helpers/sandbox-probes.ts';

const run = promisify(execFile);
const COMPOSE_DIR = path.join(REPO_ROOT, 'test/e2e/compose');
const EXAMPLE = path.join(REPO_ROOT, 'examples/checkout-js');
const INCIDENT = path.join(EXAMPLE, 'incidents/gift-card-only-shipping');

/** `docker compose` (v2 plugin) or the `docker-compose` binary .ci/docker.sh installs. */
function composeCommand(): string[] | undefined {
  for (const cmd of [['docker', 'compose'], ['docker-compose']]) {
    if (spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { stdio: 'ignore' }).status === 0) return cmd;
  }
  return undefined;
}

const noDocker = await sandboxImagesUnavailable([]);
const compose = composeCommand();
const skip = process.env.CI ? false : noDocker || (!compose && 'neither docker compose nor docker-compose is installed');

/** The npm client's own configuration (registry, CA, proxy): the offline build runs `npm ci` on
 * the host, and the CLI helper passes the child no variable it is not given. */
const NPM_ENV = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && /^(npm_config_|NODE_EXTRA_CA_CERTS$|SSL_CERT_|HTTPS?_PROXY$|NO_PROXY$|TRACEFIX_IMAGE_CACHE$)/i.test(e[0])),
);

interface RunRow {
  id: string;
  status: string;
  reason: string | null;
  record: unknown;
}

test('docker compose up repairs an example incident with a containerized serve and worker', { skip, timeout: 1_800_000 }, async (t) => {
  assert.ok(compose, 'a compose tool is installed (.ci/docker.sh installs docker-compose)');
  const project = `tfe2e${randomBytes(4).toString('hex')}`;
  const image = `tracefix/tracefix:${project}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-compose-'));
  await chmod(dir, 0o711);

  // The images: tracefix (offline, the Dockerfile over the mmdebstrap base) and Postgres + Redis.
  const built = await runCli(['images', 'build', '--tracefix', '--tag', image], NPM_ENV, 1_500_000);
  assert.equal(built.code, 0, built.output);
  t.after(() => run('docker', ['rmi', image]).catch(() => undefined));
  const labels = JSON.parse(execFileSync('docker', ['image', 'inspect', '--format', '{{json .Config}}', image]).toString()) as {
    User: string;
    Labels: Record<string, string>;
    Healthcheck?: { Test: string[] };
    Entrypoint: string[];
  };
  assert.equal(labels.User, '10001:10001', 'the image runs as a non-root user');
  assert.equal(labels.Labels['org.opencontainers.image.title'], 'tracefix');
  assert.ok(labels.Healthcheck?.Test.join(' ').includes('/healthz'), 'HEALTHCHECK on /healthz');
  assert.deepEqual(labels.Entrypoint, ['/usr/bin/tini', '--']);
  const [postgresImage, redisImage] = (await run('bash', [path.join(COMPOSE_DIR, 'build-images.sh')], { maxBuffer: 1 << 24 })).stdout.trim().split(' ');

  // The user's repository: the example service as deployed, readable by the image's uid.
  const repos = path.join(dir, 'repos');
  const repo = path.join(repos, 'checkout-js');
  await mkdir(repos);
  await cp(EXAMPLE, repo, { recursive: true, filter: (src) => !src.split(path.sep).includes('incidents') });
  await gitIn(repo, 'init', '-q', '-b', 'main');
  await gitIn(repo, 'add', '-A');
  await gitIn(repo, 'commit', '-q', '-m', 'checkout-js 1.8.0');
  const sha = (await gitIn(repo, 'rev-parse', 'HEAD')).trim();
  execFileSync('chown', ['-R', '10001:10001', repos]);

  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  const envFile = path.join(dir, 'empty.env');
  await writeFile(envFile, '');
  const env = {
    ...process.env,
    TRACEFIX_IMAGE: image,
    TRACEFIX_DATA_DIR: dataDir,
    DOCKER_GID: String((await stat('/var/run/docker.sock')).gid),
    TRACEFIX_SENTRY_CLIENT_SECRET: SECRETS.TRACEFIX_SENTRY_CLIENT_SECRET,
    TRACEFIX_DASHBOARD_TOKEN: TEST_DASHBOARD_TOKEN,
    TRACEFIX_SERVICE_REPOS: JSON.stringify({ 'checkout-js': repo }),
    TRACEFIX_RELEASE_COMMITS: JSON.stringify({ 'checkout-js@1.8.0': sha }),
    TF_E2E_POSTGRES_IMAGE: postgresImage!,
    TF_E2E_REDIS_IMAGE: redisImage!,
    TF_E2E_PG_PORT: String(await freePort()),
    TF_E2E_REDIS_PORT: String(await freePort()),
    TF_E2E_PORT: String(port),
    TF_E2E_REPOS: repos,
  };
  const [cmd, ...pre] = compose!;
  const exec = (files: string[], ...args: string[]) =>
    run(cmd!, [...pre, '--env-file', envFile, '-p', project, ...files.flatMap((f) => ['-f', f]), ...args], {
      env,
      cwd: REPO_ROOT,
      maxBuffer: 1 << 26,
      timeout: 900_000,
    });
  // docker-compose.yml merged with the override, as compose itself resolves them; only serve's
  // published port is dropped, which the host network makes meaningless and compose v1 refuses
  // to combine with it (an override cannot remove a key there).
  const merged = parse((await exec([path.join(REPO_ROOT, 'docker-compose.yml'), path.join(COMPOSE_DIR, 'docker-compose.e2e.yml')], 'config')).stdout, { version: '1.1' }) as {
    services: Record<string, { ports?: unknown }>;
  };
  delete merged.services['serve']!.ports;
  const effective = path.join(dir, 'docker-compose.effective.yml');
  // Every string quoted: compose v1 reads YAML 1.1, where no, off, yes and 0:0 are not strings.
  await writeFile(effective, stringify(merged, { version: '1.1', defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }));
  const dc = (...args: string[]) => exec([effective], ...args);
  const logs = async () => (await dc('logs', '--no-color', '--tail', '80', 'worker', 'serve', 'sandbox-images').catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }))).stdout;
  t.after(async () => {
    await dc('down', '-v', '--remove-orphans', '-t', '20').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  await dc('up', '-d');
  const base = `http://127.0.0.1:${port}`;
  let healthy = false;
  for (let i = 0; i < 240 && !healthy; i++) {
    healthy = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (!healthy) await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(healthy, `serve answers /healthz\n${await logs()}`);

  // The example's Sentry delivery; the service tag is how a Sentry project names its service.
  const event = JSON.parse(await readFile(path.join(INCIDENT, 'sentry.json'), 'utf8')) as { data: { event: { tags: [string, string][] } } };
  event.data.event.tags.push(['service', 'checkout-js']);
  const body = Buffer.from(JSON.stringify(event));
  const res = await fetch(`${base}/webhooks/sentry`, { method: 'POST', body, headers: sentryHeaders(body, 'event_alert', randomBytes(16).toString('hex')) });
  const text = await res.text();
  assert.equal(res.status, 202, text);
  const { incidentId } = JSON.parse(text) as { incidentId: string };

  let runRow: RunRow | undefined;
  for (let i = 0; i < 900; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const runs = await fetch(`${base}/api/incidents/${incidentId}/runs`, { headers: dashboardAuthHeaders() });
    if (runs.status !== 200) continue;
    runRow = ((await runs.json()) as { items: RunRow[] }).items[0];
    if (runRow && !['reproducing', 'repairing'].includes(runRow.status)) break;
  }
  assert.ok(runRow, `a run was created\n${await logs()}`);
  assert.equal(runRow.status, 'fixed', `${runRow.reason}\n${await logs()}`);
  const record = Run.parse(runRow.record);
  assert.equal(record.sandbox?.driver, 'docker', 'the run used Docker sandboxes');
  assert.equal(record.reproduction?.status, 'reproduced');
  assert.equal(record.reproduction?.signature?.type, 'TypeError');
  // The outputs are in the data directory on the host, where the worker wrote them.
  const patch = await readFile(path.join(dataDir, 'runs', runRow.id, 'patch.diff'), 'utf8');
  assert.match(patch, /shipping\.js/);

  await dc('down', '-v', '-t', '20');
  const left = execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=org.tracefix.incident=${incidentId}`]).toString().trim();
  assert.equal(left, '', 'no sandbox container of this run is left');
  const stack = execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${project}`]).toString().trim();
  assert.equal(stack, '', 'no container of the stack is left');
});

test('a containerized worker whose data directory the engine cannot see stops and says how to fix it', { skip, timeout: 900_000 }, async (t) => {
  const built = await runCli(['images', 'build', '--tracefix'], NPM_ENV, 1_500_000);
  assert.equal(built.code, 0, built.output);
  // The mistake the old compose file made: the data directory on a named volume.
  const volume = `tfe2e-${randomBytes(4).toString('hex')}`;
  execFileSync('docker', ['volume', 'create', volume]);
  t.after(() => run('docker', ['volume', 'rm', '-f', volume]).catch(() => undefined));
  const gid = String((await stat('/var/run/docker.sock')).gid);
  const worker = (...extra: string[]) =>
    spawnSync('docker', ['run', '--rm', '--network', 'none', '-v', '/var/run/docker.sock:/var/run/docker.sock', '-v', `${volume}:/var/lib/tracefix`,
      '-e', 'DATABASE_URL=postgres://nobody@127.0.0.1:1/none', ...extra, 'tracefix/tracefix:latest', 'node', 'src/cli/main.ts', 'worker'], { encoding: 'utf8', timeout: 300_000 });

  const wrong = worker('--group-add', gid);
  assert.notEqual(wrong.status, 0, wrong.stdout + wrong.stderr);
  assert.match(wrong.stderr, /sandboxes cannot see the worker's data directory \/var\/lib\/tracefix/);
  assert.match(wrong.stderr, /same absolute path/);

  const noGroup = worker();
  assert.notEqual(noGroup.status, 0);
  assert.match(noGroup.stderr, /permission denied on the Docker engine socket.*DOCKER_GID/);
});
