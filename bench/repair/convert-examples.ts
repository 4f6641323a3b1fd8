// The converter for examples/ (small instrumented services with real bugs, issue 5): one bug per
// incident.
//
//   node bench/repair/convert-examples.ts [--examples examples] [--out .tracefix/bench/examples]
//
// An example service is examples/<service>/ with its sources, its passing test suite and
// incidents/<name>/ per production incident: incident.json (ExampleFile below), sentry.json (the
// Sentry event_alert webhook), otlp-traces.json and otlp-logs.json (the OTLP/HTTP JSON exports of
// the failing request), regression.test.* (the test the fix commit adds) and fix.diff (the fix a
// person wrote); an incident a person reported has github-issue.json (the GitHub `issues` webhook)
// instead of sentry.json. It becomes
//   repo/            the service at its buggy commit with its own (passing) suite, no incidents/
//   incident.json    { kind: 'bundle', bundle }: the bundle assembled from the Sentry event and the
//                    OTLP exports the way `tracefix bundle` assembles it; the reproduce stage turns it
//                    into the failing test (core-pipeline.ts runs them through the repair core in
//                    a sandbox; the direct path in direct-pipeline.ts handles only visible failing tests)
//   ground-truth/    the regression test, at the path the fix commit gives it
//   meta.json        tests.visible = the service's suite; tests.groundTruth = the regression test
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Alert } from '../../schemas/alert.ts';
import { ReproTest, type Bundle } from '../../schemas/bundle.ts';
import { assembleBundle } from '../../src/assemble/assemble.ts';
import { readGithubIssue, readOtlpLogs, readOtlpTraces, readSentry } from '../../src/cli/bundle-inputs.ts';
import { fingerprint } from '../../src/evidence/fingerprint.ts';
import { writeBug, type BugFiles } from './corpus.ts';

export type ExampleLanguage = 'python' | 'node' | 'typescript';

/** incidents/<name>/incident.json as written by hand. */
export interface ExampleFile {
  title: string;
  /** The bug class (missing await, zero divisor, …). */
  bugType: string;
  /** The offline template expected to fix it (src/repair/templates); null when the engine does
   * not fix it today (recorded honestly: the benchmark measures those too). */
  template: string | null;
  /** How production reported it: a Sentry alert (sentry.json, the default), a person's GitHub
   * issue (github-issue.json: the stack, trace id and request line pasted, no locals), or a red CI
   * test (ci-alert.json: the `ci` alert `tracefix bundle --from-test` recorded from `ciTest`; no
   * trace, no logs). */
  alert?: 'sentry' | 'github-issue' | 'ci-test';
  /** A CI failure: the test the failing commit added (in the incident folder) and where it lives in
   * the repository; it is part of the repository tracefix works on. */
  ciTest?: { file: string; installAs: string };
  /** The bug in one line. */
  summary: string;
  /** What production raised, and where (service-relative file, function). */
  error: { type: string; message: string; file: string; function: string };
  /** The regression test in the incident folder and where the fix commit puts it. */
  regressionTest: { file: string; installAs: string };
  /** The human fix, a `git apply`-able diff relative to the service root. */
  fix: string;
  /** The failing request (the recorder sends it; the Sentry event carries it too); none for a CI failure. */
  request?: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  warmup?: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  /** How examples/tools/record-otlp.ts starts the service under the OpenTelemetry SDK. */
  start?: string[];
}

/** One incident of one example service, with absolute paths. */
export interface ExampleIncident extends ExampleFile {
  /** Service folder name under examples/ (checkout-js, …). */
  service: string;
  serviceDir: string;
  /** Incident folder name. */
  name: string;
  dir: string;
  language: ExampleLanguage;
  /** The alert file: sentry.json, github-issue.json or ci-alert.json (see `alert`). */
  alertFile: string;
  /** The OTLP exports; absent for a CI failure (a test run has no production trace). */
  otlpTraces?: string;
  otlpLogs?: string;
  /** Absolute path of the regression test file. */
  regressionFile: string;
  fixFile: string;
  /** The service's test command (argv, run in the service root; `node` = the harness's Node). */
  testCommand: string[];
  /** Service-relative source files a patch may edit (not tests, not incidents). */
  files: string[];
}

export interface ExampleConverter {
  /** Finds the incidents under an examples/ directory, sorted by service then name. */
  discover(examplesDir: string): Promise<ExampleIncident[]>;
  /** Builds the bug folder's files for one incident (the caller writes them with writeBug). */
  convert(incident: ExampleIncident): Promise<BugFiles>;
}

/** Everything under the service root a copy of its repository holds (no incidents, no caches). */
export function serviceFileFilter(serviceDir: string): (src: string) => boolean {
  const skip = new Set(['incidents', 'node_modules', '__pycache__', '.pytest_cache']);
  return (src) => {
    const rel = path.relative(serviceDir, src);
    return rel === '' || !rel.split(path.sep).some((part) => skip.has(part));
  };
}

async function walk(root: string, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (!serviceFileFilter(root)(path.join(root, rel))) continue;
    if (e.isDirectory()) out.push(...(await walk(root, rel)));
    else out.push(rel);
  }
  return out.sort();
}

function languageOf(files: readonly string[]): ExampleLanguage {
  if (files.includes('pyproject.toml')) return 'python';
  return files.some((f) => /^src\/.*\.ts$/.test(f)) ? 'typescript' : 'node';
}

function testCommandOf(language: ExampleLanguage): string[] {
  if (language === 'python') return ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'];
  return ['node', '--test', language === 'typescript' ? 'test/**/*.test.ts' : 'test/**/*.test.js'];
}

/** Source files a patch may edit: the service's code, not its tests, tools or manifests. */
function editableFiles(language: ExampleLanguage, files: readonly string[]): string[] {
  const code = language === 'python' ? /^app\/.*\.py$/ : /^src\/.*\.[cm]?[jt]s$/;
  return files.filter((f) => code.test(f));
}

const ALERT_FILES = { sentry: 'sentry.json', 'github-issue': 'github-issue.json', 'ci-test': 'ci-alert.json' } as const;

/** ci-alert.json: the `ci` alert and the reproduction test `tracefix bundle --from-test` recorded. */
export async function readCiAlert(file: string): Promise<{ alert: Alert; reproTest: ReproTest }> {
  const json = JSON.parse(await readFile(file, 'utf8')) as { alert: unknown; reproTest: unknown };
  return { alert: Alert.parse(json.alert), reproTest: ReproTest.parse(json.reproTest) };
}

export async function discoverExamples(examplesDir: string): Promise<ExampleIncident[]> {
  const out: ExampleIncident[] = [];
  const services = (await readdir(examplesDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const service of services) {
    const serviceDir = path.join(examplesDir, service);
    const incidentsDir = path.join(serviceDir, 'incidents');
    const names = await readdir(incidentsDir, { withFileTypes: true }).catch(() => []);
    if (names.length === 0) continue;
    const files = await walk(serviceDir);
    const language = languageOf(files);
    for (const e of names.filter((n) => n.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const dir = path.join(incidentsDir, e.name);
      const file = JSON.parse(await readFile(path.join(dir, 'incident.json'), 'utf8')) as ExampleFile;
      out.push({
        ...file,
        service,
        serviceDir,
        name: e.name,
        dir,
        language,
        alertFile: path.join(dir, ALERT_FILES[file.alert ?? 'sentry']),
        ...(file.alert === 'ci-test' ? {} : { otlpTraces: path.join(dir, 'otlp-traces.json'), otlpLogs: path.join(dir, 'otlp-logs.json') }),
        regressionFile: path.join(dir, file.regressionTest.file),
        fixFile: path.join(dir, file.fix),
        testCommand: testCommandOf(language),
        files: editableFiles(language, files),
      });
    }
  }
  return out;
}

export interface ExampleBundleOptions {
  /** Commit the bundle names (the repository's HEAD, as `tracefix bundle --repo` takes it). */
  commit?: string;
  /** Redaction key (32 bytes); fixed by default so conversions are reproducible. */
  key?: Buffer;
}

/** The incident's bundle, assembled in-process from its files the way `tracefix bundle` does. */
export async function exampleBundle(incident: ExampleIncident, options: ExampleBundleOptions = {}): Promise<Bundle> {
  const ci = incident.alert === 'ci-test' ? await readCiAlert(incident.alertFile) : undefined;
  const alert = ci ? ci.alert : incident.alert === 'github-issue' ? await readGithubIssue(incident.alertFile) : await readSentry(incident.alertFile);
  if (options.commit) alert.commitSha ??= options.commit;
  const spans = incident.otlpTraces ? await readOtlpTraces(incident.otlpTraces) : [];
  const logs = incident.otlpLogs ? await readOtlpLogs(incident.otlpLogs) : [];
  const { bundle } = await assembleBundle({
    incident: {
      id: `inc_example_${incident.service}_${incident.name}`.replace(/[^\w]/g, '_'),
      fingerprint: fingerprint(alert),
      source: alert.source,
      title: alert.title,
      firstSeen: alert.receivedAt,
      lastSeen: alert.receivedAt,
      alertCount: 1,
    },
    alerts: [alert],
    spans,
    logs,
    options: { redaction: { key: options.key ?? Buffer.alloc(32, 5) } },
    ...(ci ? { reproTest: ci.reproTest } : {}),
  });
  return bundle;
}

/** Text stays text; a file UTF-8 cannot round-trip (rates-py's wheel) stays bytes, or its hash breaks. */
async function readTree(root: string, files: readonly string[]): Promise<Record<string, string | Buffer>> {
  const out: Record<string, string | Buffer> = {};
  for (const f of files) {
    const bytes = await readFile(path.join(root, f));
    const text = bytes.toString('utf8');
    out[f] = Buffer.from(text, 'utf8').equals(bytes) ? text : bytes;
  }
  return out;
}

export const examplesConverter: ExampleConverter = {
  discover: discoverExamples,
  convert: async (incident) => {
    const repoFiles = await walk(incident.serviceDir);
    const install = incident.regressionTest.installAs;
    const repo = await readTree(incident.serviceDir, repoFiles);
    // A CI failure's red test is part of the commit under repair.
    if (incident.ciTest) repo[incident.ciTest.installAs] = await readFile(path.join(incident.dir, incident.ciTest.file), 'utf8');
    const groundTruth =
      incident.language === 'python'
        ? ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', install]
        : ['node', '--test', install];
    return {
      meta: {
        id: `examples-${incident.service}-${incident.name}`,
        language: incident.language,
        bugType: incident.bugType,
        failureSymptoms: `${incident.error.type}: ${incident.error.message}`,
        source: { name: 'tracefix examples', task: `${incident.service}/${incident.name}`, license: 'Apache-2.0' },
        files: incident.files,
        function: incident.error.function,
        tests: { visible: incident.testCommand, groundTruth },
        timeoutMs: 30_000,
        notes: [incident.summary, incident.template ? `expected template: ${incident.template}` : 'not fixed by the template engine when recorded'],
      },
      incident: { kind: 'bundle', bundle: await exampleBundle(incident) },
      repo,
      groundTruth: { [install]: await readFile(incident.regressionFile, 'utf8') },
    };
  },
};

/** Converts every incident under `examplesDir` into a fresh corpus at `out`; returns the bug ids. */
export async function convertExamples(examplesDir: string, out: string): Promise<string[]> {
  await rm(out, { recursive: true, force: true });
  const ids: string[] = [];
  for (const incident of await examplesConverter.discover(examplesDir)) {
    const dir = await writeBug(out, await examplesConverter.convert(incident));
    ids.push(path.basename(dir));
  }
  return ids;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      examples: { type: 'string', default: path.resolve(import.meta.dirname, '../../examples') },
      out: { type: 'string', default: '.tracefix/bench/examples' },
    },
  });
  const ids = await convertExamples(path.resolve(values.examples), path.resolve(values.out));
  for (const id of ids) console.log(id);
  console.log(`${ids.length} bugs written to ${path.resolve(values.out)}`);
}

if (import.meta.main) await main();
