// Writes an incident's alert from its recording: the Sentry event_alert webhook (sentry.json) or
// the GitHub `issues` webhook of a person's bug report (github-issue.json), as incident.json's
// `alert` says.
//
//   node examples/tools/write-alert.ts examples/<service> <incident> [--frames frames.json]
//
// Run after record-otlp.ts / record_otlp_python.py: the exception (type, message, stack), the trace
// and span ids and the time come from the recorded otlp-traces.json, so the alert names the same
// failure the trace holds. Sentry frames get context lines from the service's sources (the
// ContextLines integration) and, for Python, the frames' locals as repr text from --frames (what
// record_otlp_python.py --frames wrote; sentry-sdk sends them as `vars`); the Node SDK runs with
// its defaults, which capture no locals. A GitHub issue carries what a person pastes: the stack
// from the service's log, the trace id, the release and the request line; never locals.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

type Json = Record<string, any>;

interface Recorded {
  traceId: string;
  serverSpanId: string;
  timeMs: number;
  type: string;
  message: string;
  stack: string;
  /** The server span's http.route (the Sentry transaction's name). */
  route?: string;
}

const ROOT = '/srv/app';
const HOST = (service: string) => `${service.replace(/-(js|ts|py)$/, '')}.internal.acme-shop.example`;

const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);
const digits = (seed: string, n: number) => String(BigInt(`0x${hex(seed, 15)}`)).slice(0, n);

function attr(attrs: Json[] | undefined, key: string): string | undefined {
  const v = attrs?.find((a) => a['key'] === key)?.['value'];
  return v?.stringValue ?? v?.intValue;
}

/** The failing request's exception event, its trace and the server span, from the OTLP export. */
function recorded(traces: Json): Recorded {
  const spans: Json[] = traces['resourceSpans'].flatMap((rs: Json) => rs['scopeSpans'].flatMap((ss: Json) => ss['spans']));
  const failing = spans.find((s) => (s['events'] ?? []).some((e: Json) => e['name'] === 'exception'));
  if (!failing) throw new Error('no span with an exception event in otlp-traces.json');
  const event = failing['events'].find((e: Json) => e['name'] === 'exception');
  const server = spans.find((s) => s['traceId'] === failing['traceId'] && (s['kind'] === 2 || s['kind'] === 'SPAN_KIND_SERVER')) ?? failing;
  return {
    traceId: failing['traceId'],
    serverSpanId: server['spanId'],
    timeMs: Number(BigInt(event['timeUnixNano']) / 1_000_000n),
    type: attr(event['attributes'], 'exception.type') ?? 'Error',
    message: attr(event['attributes'], 'exception.message') ?? '',
    stack: attr(event['attributes'], 'exception.stacktrace') ?? '',
    ...(attr(server['attributes'], 'http.route') ? { route: attr(server['attributes'], 'http.route')! } : {}),
  };
}

async function sourceLines(serviceDir: string, absPath: string): Promise<string[] | undefined> {
  if (!absPath.startsWith(`${ROOT}/`) || absPath.includes('/node_modules/') || absPath.includes('/.venv/')) return undefined;
  return readFile(path.join(serviceDir, absPath.slice(ROOT.length + 1)), 'utf8').then((t) => t.split('\n'), () => undefined);
}

function context(lines: string[] | undefined, lineno: number): Json {
  if (!lines) return {};
  return { pre_context: lines.slice(Math.max(0, lineno - 6), lineno - 1), context_line: lines[lineno - 1] ?? '', post_context: lines.slice(lineno, lineno + 5) };
}

/** Node stack lines → Sentry frames, oldest first (Sentry's order). */
async function nodeFrames(serviceDir: string, stack: string): Promise<Json[]> {
  const frames: Json[] = [];
  for (const m of stack.matchAll(/^\s+at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/gm)) {
    const abs = m[2]!.replace(/^file:\/\//, '');
    const lineno = Number(m[3]);
    const inApp = abs.startsWith(`${ROOT}/`) && !abs.includes('/node_modules/');
    const module = abs.startsWith(`${ROOT}/src/`) ? path.basename(abs).replace(/\.[cm]?[jt]s$/, '') : undefined;
    frames.push({
      filename: abs,
      abs_path: abs,
      ...(module ? { module } : {}),
      ...(m[1] ? { function: m[1] } : {}),
      lineno,
      colno: Number(m[4]),
      in_app: inApp,
      ...(inApp ? context(await sourceLines(serviceDir, abs), lineno) : {}),
    });
  }
  return frames.reverse();
}

/** record_otlp_python.py --frames → Sentry frames (already oldest first), with their locals. */
async function pythonFrames(serviceDir: string, failure: Json): Promise<Json[]> {
  const frames: Json[] = [];
  for (const f of failure['frames'] as Json[]) {
    const abs: string = f['file'];
    const rel = abs.startsWith(`${ROOT}/`) ? abs.slice(ROOT.length + 1) : abs;
    const inApp = abs.startsWith(`${ROOT}/app/`);
    frames.push({
      filename: rel,
      abs_path: abs,
      module: rel.replace(/\.py$/, '').split('/').join('.'),
      function: f['function'],
      lineno: f['lineno'],
      ...context(await sourceLines(serviceDir, abs), f['lineno']),
      in_app: inApp,
      vars: f['vars'],
    });
  }
  return frames;
}

function requestOf(service: string, incident: Json): Json {
  const r = incident['request'];
  const [pathname, query = ''] = String(r.path).split('?');
  const headers: Array<[string, string]> = [['Host', HOST(service)], ...Object.entries<string>(r.headers ?? {}).map(([k, v]): [string, string] => [k.replace(/(^|-)\w/g, (c) => c.toUpperCase()), v])];
  return {
    method: r.method,
    url: `https://${HOST(service)}${pathname}`,
    query_string: query,
    headers: headers.sort((a, b) => a[0].localeCompare(b[0])),
    ...(r.body !== undefined ? { data: r.body, inferred_content_type: 'application/json' } : {}),
  };
}

async function sentry(serviceDir: string, service: string, release: string, incident: Json, rec: Recorded, frames: Json[], python: boolean): Promise<Json> {
  const eventId = hex(`${rec.traceId}:event`, 32);
  const issueId = `57${digits(`${rec.traceId}:issue`, 8)}`;
  const crash = [...frames].reverse().find((f) => f['in_app']) ?? frames.at(-1) ?? {};
  const at = new Date(rec.timeMs + 3);
  const tx = `${incident['request'].method} ${rec.route ?? String(incident['request'].path).split('?')[0]}`;
  const event: Json = {
    event_id: eventId,
    issue_id: issueId,
    project: `45082${digits(service, 2)}`,
    platform: python ? 'python' : 'node',
    logger: '',
    level: 'error',
    type: 'error',
    title: `${rec.type}: ${rec.message}`,
    culprit: python ? `${crash['module']} in ${crash['function']}` : `${crash['function']}(${String(crash['filename']).replace(`${ROOT}/`, '').replace(/\.[jt]s$/, '')})`,
    location: crash['filename'],
    release,
    dist: null,
    environment: 'production',
    timestamp: at.getTime() / 1000,
    datetime: at.toISOString(),
    received: (at.getTime() + 287) / 1000,
    url: `https://sentry.io/api/0/projects/acme/${service}/events/${eventId}/`,
    web_url: `https://acme.sentry.io/issues/${issueId}/events/${eventId}/`,
    issue_url: `https://sentry.io/api/0/organizations/acme/issues/${issueId}/`,
    metadata: { type: rec.type, value: rec.message, filename: crash['filename'], function: crash['function'], in_app_frame_mix: 'mixed' },
    tags: [
      ['environment', 'production'],
      ['handled', python ? 'no' : 'yes'],
      ['level', 'error'],
      ['release', release],
      ['transaction', tx],
    ],
    contexts: {
      trace: { trace_id: rec.traceId, span_id: rec.serverSpanId, op: 'http.server', status: 'internal_error', type: 'trace' },
      runtime: python ? { name: 'CPython', version: '3.12.7', type: 'runtime' } : { name: 'node', version: 'v24.11.1', type: 'runtime' },
      os: { name: 'Linux', type: 'os' },
    },
    request: requestOf(service, incident),
    exception: {
      values: [{ type: rec.type, value: rec.message, ...(python ? { module: null } : {}), mechanism: python ? { type: 'wsgi', handled: false } : { type: 'generic', handled: true }, stacktrace: { frames } }],
    },
    sdk: python ? { name: 'sentry.python', version: '2.19.2', integrations: ['argv', 'atexit', 'logging', 'stdlib', 'wsgi'] } : { name: 'sentry.javascript.node', version: '10.22.0', integrations: ['InboundFilters', 'LinkedErrors', 'RequestData', 'Http', 'ContextLines', 'Context'] },
    transaction: tx,
    hashes: [hex(`${service}:${rec.type}:${crash['function']}`, 32)],
    _meta: {},
  };
  return {
    action: 'triggered',
    installation: { uuid: '0b5e2d7a-3c41-4f8e-9a6d-1e2f3a4b5c6d' },
    data: { event, triggered_rule: `New issue in ${service} (production)` },
    actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  };
}

function githubIssue(service: string, release: string, incident: Json, rec: Recorded): Json {
  const number = 100 + (parseInt(hex(rec.traceId, 4), 16) % 800);
  const r = incident['request'];
  const body = [
    incident['report'] ?? incident['title'],
    '',
    `- **Request:** \`${r.method} ${r.path}\``,
    `- **Trace ID:** \`${rec.traceId}\``,
    `- **Release:** ${release}`,
    '- **Environment:** production',
    '',
    'From the service log:',
    '',
    '```',
    rec.stack.trimEnd(),
    '```',
  ].join('\n');
  const user = { login: 'mara-support', id: 8812034, type: 'User' };
  return {
    action: 'labeled',
    label: { name: 'tracefix' },
    issue: {
      number,
      title: `${rec.type}: ${rec.message}`.slice(0, 120),
      body,
      html_url: `https://github.com/acme/${service}/issues/${number}`,
      state: 'open',
      labels: [{ name: 'bug' }, { name: 'tracefix' }],
      user,
      created_at: new Date(rec.timeMs + 41 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    },
    repository: { full_name: `acme/${service}`, name: service, private: true },
    sender: user,
  };
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { frames: { type: 'string' } } });
  const [serviceArg, name] = positionals;
  if (!serviceArg || !name) throw new Error('usage: write-alert.ts examples/<service> <incident> [--frames frames.json]');
  const serviceDir = path.resolve(serviceArg);
  const service = path.basename(serviceDir);
  const dir = path.join(serviceDir, 'incidents', name);
  const incident = JSON.parse(await readFile(path.join(dir, 'incident.json'), 'utf8')) as Json;
  const rec = recorded(JSON.parse(await readFile(path.join(dir, 'otlp-traces.json'), 'utf8')));
  const python = await readFile(path.join(serviceDir, 'pyproject.toml')).then(() => true, () => false);
  const version = python
    ? /^version\s*=\s*"([^"]+)"/m.exec(await readFile(path.join(serviceDir, 'pyproject.toml'), 'utf8'))?.[1]
    : (JSON.parse(await readFile(path.join(serviceDir, 'package.json'), 'utf8')) as Json)['version'];
  const release = `${service}@${version}`;
  if (incident['alert'] === 'github-issue') {
    await writeFile(path.join(dir, 'github-issue.json'), JSON.stringify(githubIssue(service, release, incident, rec), null, 2) + '\n');
    console.log(`wrote ${path.join(dir, 'github-issue.json')}`);
    return;
  }
  let frames: Json[];
  if (python) {
    if (!values.frames) throw new Error('a Python Sentry event needs --frames (record_otlp_python.py --frames)');
    const failure = JSON.parse(await readFile(values.frames, 'utf8')) as Json;
    rec.type = failure['type'];
    rec.message = failure['value'];
    frames = await pythonFrames(serviceDir, failure);
  } else frames = await nodeFrames(serviceDir, rec.stack);
  await writeFile(path.join(dir, 'sentry.json'), JSON.stringify(await sentry(serviceDir, service, release, incident, rec, frames, python), null, 2) + '\n');
  console.log(`wrote ${path.join(dir, 'sentry.json')}`);
}

await main();
