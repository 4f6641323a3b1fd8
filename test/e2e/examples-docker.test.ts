// The examples end to end, the way the issue asks: each example service is a user's repository
// (a git checkout of the service without its incidents/ folder), each incident's Sentry delivery,
// OTLP trace and logs go through `tracefix bundle`, and `tracefix repair` runs in the Docker
// sandbox with the offline template engine. The fix must pass the incident's regression test,
// the ground truth the repair never saw, in a fresh clone. sessions-js and rates-py have real
// dependencies and no installed tree: the repair's install stage fetches them (its progress says
// so), and the fresh clone gets them through the same stage before its suite runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { Run } from '../../schemas/run.ts';
import { installServiceDeps } from '../../bench/repair/service-deps.ts';
import { loadConfig } from '../../src/config.ts';
import { loadRepoConfig } from '../../src/workspace/repo-config.ts';
import { runCli } from '../helpers/cli.ts';
import { gitIn } from '../helpers/git-repo.ts';
import { sandboxImagesUnavailable } from '../helpers/sandbox-probes.ts';

const run = promisify(execFile);
const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');

interface IncidentMeta {
  title: string;
  /** The template that fixed it when it was recorded; null: the engine does not fix it today. */
  template?: string | null;
  /** `github-issue`: reported by a person, no sentry.json (examples/README.md). */
  alert?: string;
  error: { type: string; file: string; function: string };
  regressionTest: { file: string; installAs: string };
}

async function incidents(): Promise<{ service: string; name: string; dir: string; meta: IncidentMeta }[]> {
  const found = [];
  for (const service of (await readdir(EXAMPLES, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    const root = path.join(EXAMPLES, service.name, 'incidents');
    const names = await readdir(root).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const dir = path.join(root, name);
      const meta = JSON.parse(await readFile(path.join(dir, 'incident.json'), 'utf8').catch(() => 'null')) as IncidentMeta | null;
      // The incidents the engine fixes, from their Sentry events: this walk asserts a fix through the
      // CLI. The unfixed ones and the GitHub-issue reports are the benchmark's and examples.test.ts's;
      // the CI-test failure's path is test/integration/repair/value-search.test.ts's.
      if (meta && meta.template !== null && meta.alert !== 'github-issue' && meta.alert !== 'ci-test') found.push({ service: service.name, name, dir, meta });
    }
  }
  return found;
}

function suiteCommand(service: string): [string, string[]] {
  if (service.endsWith('-py')) return ['python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']];
  return ['node', ['--test', service.endsWith('-ts') ? 'test/**/*.test.ts' : 'test/**/*.test.js']];
}

const skip = await sandboxImagesUnavailable();
const all = await incidents();

test('the examples hold incidents in JS, TS and Python', () => {
  const services = new Set(all.map((i) => i.service));
  assert.ok(services.size >= 3, `services with incidents: ${[...services].join(', ')}`);
});

for (const incident of all) {
  test(`example ${incident.service}/${incident.name}: bundle → repair in the docker sandbox fixes it`, { skip, timeout: 900_000 }, async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `tracefix-example-${incident.name}-`));
    await chmod(dir, 0o711);
    t.after(() => rm(dir, { recursive: true, force: true }));
    const repo = path.join(dir, incident.service);
    await cp(path.join(EXAMPLES, incident.service), repo, { recursive: true, filter: (src) => !src.split(path.sep).includes('incidents') && !src.includes('__pycache__') });
    await gitIn(repo, 'init', '-q', '-b', 'main');
    await gitIn(repo, 'add', '-A');
    await gitIn(repo, 'commit', '-q', '-m', `${incident.service} as deployed`);

    const ca = process.env['NODE_EXTRA_CA_CERTS'];
    const env = { TRACEFIX_DATA_DIR: path.join(dir, 'data'), ...(ca ? { NODE_EXTRA_CA_CERTS: ca } : {}) };
    const bundlePath = path.join(dir, 'bundle.json');
    const file = (f: string) => path.join(incident.dir, f);
    const made = await runCli(['bundle', '--sentry', file('sentry.json'), '--otlp-traces', file('otlp-traces.json'), '--otlp-logs', file('otlp-logs.json'), '--repo', repo, '-o', bundlePath], env);
    assert.equal(made.code, 0, made.output);

    const out = path.join(dir, 'out');
    const repaired = await runCli(['repair', '--bundle', bundlePath, '--repo', repo, '--sandbox', 'docker', '--engine', 'templates', '--out', out], env, 840_000);
    assert.equal(repaired.code, 0, repaired.output);
    assert.match(repaired.output, /sandbox docker ready/);
    const locked = incident.service === 'sessions-js' || incident.service === 'rates-py';
    if (locked) assert.match(repaired.output, /install: ok \((npm|pip) \((package-lock\.json|requirements\.txt), 1 packages\) fetched\)/);
    const result = Run.parse(JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')));
    assert.equal(result.status, 'fixed');
    assert.equal(result.sandbox?.driver, 'docker');
    assert.equal(result.reproduction?.signature?.type, incident.meta.error.type);
    assert.equal(result.reproduction?.signature?.frame?.file, incident.meta.error.file);

    // The ground truth: the fix commit's regression test passes on tracefix's patch, with the suite.
    const clone = path.join(dir, 'clone');
    await gitIn(dir, 'clone', '-q', repo, clone);
    await gitIn(clone, 'apply', '--index', path.join(out, 'patch.diff'));
    const regression = path.join(clone, incident.meta.regressionTest.installAs);
    await mkdir(path.dirname(regression), { recursive: true });
    await cp(file(incident.meta.regressionTest.file), regression);
    // The clone's dependencies, as the run installed them (from the same cache).
    const deps = await installServiceDeps(loadConfig(env), clone, await loadRepoConfig(clone));
    const pythonPath = deps.env?.['PYTHONPATH']?.replace('/workspace', clone);
    const [cmd, args] = suiteCommand(incident.service);
    const hostEnv = { ...process.env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin:${process.env['PATH']}`, ...(pythonPath ? { PYTHONPATH: pythonPath } : {}) };
    const suite = await run(cmd, args, { cwd: clone, env: hostEnv }).then(
      () => 'passed',
      async (error: { stdout?: string; stderr?: string }) => `failed:\n${error.stdout}\n${error.stderr}\n${await readFile(path.join(out, 'patch.diff'), 'utf8')}`,
    );
    assert.equal(suite, 'passed');
  });
}
