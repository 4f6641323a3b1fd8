// Records an incident's OTLP/HTTP JSON exports by really running the buggy service under the
// OpenTelemetry Node SDK (its instrument entry, with tracefix's node_modules) and sending it the
// incident's request:
//
//   node examples/tools/record-otlp.ts examples/<service> <incident> [--root /srv/app]
//
// The service is copied (without incidents/) to --root, the production path its Sentry event
// shows, so stacks in the exports carry production paths. A service without dependencies gets
// node_modules as a symlink to tracefix's (for the SDK); one with a package-lock.json gets its own
// (`npm ci --ignore-scripts`) and finds the SDK through NODE_PATH. Either way tracefix's
// node_modules paths are rewritten to <root>/node_modules. A local OTLP receiver collects
// what the exporters POST to /v1/traces and /v1/logs; the SDK flushes on SIGTERM. Before the
// failing request the service gets one good request (its records are the log window's neighbours).
// Writes incidents/<incident>/otlp-traces.json and otlp-logs.json and prints the failing span's ids
// and the exception's stack (for sentry.json).
import { execFile, spawn } from 'node:child_process';
import { access, cp, mkdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';

interface RecordedRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface IncidentFile {
  request: RecordedRequest;
  warmup?: RecordedRequest;
  start: string[];
}

const REPO = path.resolve(import.meta.dirname, '../..');

type Json = Record<string, unknown>;

function receiver(): Promise<{ url: string; traces: Json[]; logs: Json[]; close(): Promise<void> }> {
  const traces: Json[] = [];
  const logs: Json[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
      if (req.url === '/v1/traces') traces.push(body);
      else if (req.url === '/v1/logs') logs.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, traces, logs, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

/** One export request holding every batch's resources (a collector's file exporter writes the same shape). */
function merge(batches: Json[], key: 'resourceSpans' | 'resourceLogs'): Json {
  return { [key]: batches.flatMap((b) => (b[key] as unknown[] | undefined) ?? []) };
}

async function send(base: string, r: RecordedRequest): Promise<number> {
  const res = await fetch(`${base}${r.path}`, {
    method: r.method,
    headers: { 'content-type': 'application/json', ...(r.headers ?? {}) },
    ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
  });
  await res.text();
  return res.status;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { root: { type: 'string', default: '/srv/app' } } });
  const [serviceArg, incident] = positionals;
  if (!serviceArg || !incident) throw new Error('usage: record-otlp.ts examples/<service> <incident> [--root /srv/app]');
  const service = path.resolve(serviceArg);
  const dir = path.join(service, 'incidents', incident);
  const meta = JSON.parse(await readFile(path.join(dir, 'incident.json'), 'utf8')) as IncidentFile;
  const root = path.resolve(values.root);

  await rm(root, { recursive: true, force: true });
  await mkdir(path.dirname(root), { recursive: true });
  await cp(service, root, { recursive: true, filter: (src) => !src.startsWith(path.join(service, 'incidents')) });
  const sdkModules = await realpath(path.join(REPO, 'node_modules'));
  const locked = await access(path.join(root, 'package-lock.json')).then(() => true, () => false);
  if (locked) await promisify(execFile)('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root });
  else await symlink(sdkModules, path.join(root, 'node_modules'));

  const otlp = await receiver();
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, meta.start, {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...(locked ? { NODE_PATH: sdkModules } : {}), PORT: String(port), DEPLOY_ENV: 'production', OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_METRICS_EXPORTER: 'none', TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/listening/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}) before listening:\n${out}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  if (meta.warmup) console.log(`warm-up ${meta.warmup.method} ${meta.warmup.path}: ${await send(base, meta.warmup)}`);
  await new Promise((r) => setTimeout(r, 150));
  console.log(`incident ${meta.request.method} ${meta.request.path}: ${await send(base, meta.request)}`);
  await new Promise((r) => setTimeout(r, 100));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  await otlp.close();

  // node_modules may itself be a symlink (a worktree's): stacks name its real path (sdkModules).
  const rewrite = (text: string) =>
    [sdkModules, path.join(REPO, 'node_modules')].reduce((t, from) => t.split(from).join(path.join(root, 'node_modules')), text);
  const traces = merge(otlp.traces, 'resourceSpans');
  const logs = merge(otlp.logs, 'resourceLogs');
  await writeFile(path.join(dir, 'otlp-traces.json'), rewrite(JSON.stringify(traces, null, 2)) + '\n');
  await writeFile(path.join(dir, 'otlp-logs.json'), rewrite(JSON.stringify(logs, null, 2)) + '\n');

  for (const rs of traces['resourceSpans'] as Array<{ scopeSpans: Array<{ spans: Array<Json & { events?: Json[] }> }> }>) {
    for (const span of rs.scopeSpans.flatMap((s) => s.spans)) {
      const exception = span.events?.find((e) => e['name'] === 'exception');
      if (!exception) continue;
      const attrs = exception['attributes'] as Array<{ key: string; value: { stringValue?: string } }>;
      console.log(JSON.stringify({ traceId: span['traceId'], spanId: span['spanId'], name: span['name'], time: exception['timeUnixNano'] }));
      console.log(rewrite(attrs.find((a) => a.key === 'exception.stacktrace')?.value.stringValue ?? ''));
    }
  }
  await rm(root, { recursive: true, force: true });
}

await main();
