// Shared setup of the examples/ tests: each incident's service as a fresh git repository (the
// commit production ran; no incidents/ in it, so the regression test and the fix stay hidden),
// the regression test and the human fix applied the way the fix commit would, and the offline
// template engine driven the way the repair core will drive it (localize → generate → validate
// each candidate in order in the sandbox until one passes). A service with dependencies
// (sessions-js, rates-py) gets them through the install stage before its sandbox, as a run does.
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Bundle } from '../../../schemas/bundle.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Reproduction } from '../../../schemas/run.ts';
import { discoverExamples, serviceFileFilter, type ExampleIncident } from '../../../bench/repair/convert-examples.ts';
import { finishServiceInstall, installServiceDeps, type ServiceDeps } from '../../../bench/repair/service-deps.ts';
import { loadConfig } from '../../../src/config.ts';
import { checkSuppression } from '../../../src/repair/guards/index.ts';
import { localize } from '../../../src/repair/localize/index.ts';
import { generateCandidates } from '../../../src/repair/templates/engine.ts';
import type { TemplateCandidate } from '../../../src/repair/templates/types.ts';
import { listWorkspaceFiles } from '../../../src/reproduce/workspace-paths.ts';
import { runTests } from '../../../src/runners/run-tests.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { loadRepoConfig } from '../../../src/workspace/repo-config.ts';
import type { SandboxTarget } from '../reproduce/helpers.ts';

const run = promisify(execFile);

export const EXAMPLES_DIR = path.resolve(import.meta.dirname, '../../../examples');

export const incidents = (): Promise<ExampleIncident[]> => discoverExamples(EXAMPLES_DIR);

/**
 * The incidents examples.test.ts walks end to end in every sandbox (`service/incident`): a
 * representative subset, since each costs a few sandboxes per driver and CI's budget is shared:
 * every service, crashes with locals (Sentry, Python and Node) and without (a GitHub issue),
 * parsing, boundaries, fixed and not fixed. The benchmark and convert.test.ts cover the rest.
 */
export const E2E_INCIDENTS: readonly string[] = [
  'checkout-js/gift-card-only-shipping',
  'invoices-ts/overpaid-progress-bar',
  'orders-py/installment-remainder',
  'catalog-ts/promo-code-lowercase',
  'bookings-py/arrival-iso-offset',
  'sessions-js/guest-role-session',
  'rates-py/asia-zone-average',
];

export interface ServiceRepo {
  dir: string;
  commit: string;
  cleanup(): Promise<void>;
}

async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=example', '-c', 'user.email=example@example.invalid', ...args], { cwd: dir });
  return stdout.trim();
}

/** The service of `incident` as a one-commit git repository in a temp dir (no incidents/). */
export async function serviceRepo(incident: ExampleIncident): Promise<ServiceRepo> {
  const parent = await mkdtemp(path.join(os.tmpdir(), `tracefix-example-${incident.service}-`));
  // A sandbox running as another uid must be able to reach the workspace.
  await chmod(parent, 0o711);
  const dir = path.join(parent, 'repo');
  await cp(incident.serviceDir, dir, { recursive: true, filter: serviceFileFilter(incident.serviceDir) });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', `${incident.service} as deployed`);
  return { dir, commit: await git(dir, 'rev-parse', 'HEAD'), cleanup: () => rm(parent, { recursive: true, force: true }) };
}

export interface ServiceSandbox {
  sandbox: Sandbox;
  config: RepoConfig;
  deps: ServiceDeps;
}

/**
 * The sandbox over a service checkout, its dependencies installed first: fetched on the host (or
 * restored from `<dataDir>/deps`, the cache a second checkout of the same lockfile hits), then the
 * sandbox half. A service without dependencies gets a plain sandbox.
 */
export async function serviceSandbox(target: SandboxTarget, dir: string, runtime: 'node' | 'python', dataDir: string): Promise<ServiceSandbox> {
  const config = await loadRepoConfig(dir);
  const ca = process.env['NODE_EXTRA_CA_CERTS'];
  const deps = await installServiceDeps(loadConfig({ TRACEFIX_DATA_DIR: dataDir, ...(ca ? { NODE_EXTRA_CA_CERTS: ca } : {}) }), dir, config);
  const sandbox = await target.create(dir, runtime, deps.env);
  try {
    await finishServiceInstall(sandbox, config);
  } catch (error) {
    await sandbox.destroy();
    throw error;
  }
  return { sandbox, config, deps };
}

/** Puts the incident's regression test where the fix commit adds it. */
export async function installRegressionTest(dir: string, incident: ExampleIncident): Promise<string> {
  const target = path.join(dir, incident.regressionTest.installAs);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, await readFile(incident.regressionFile, 'utf8'));
  return incident.regressionTest.installAs;
}

/** Applies the human fix (fix.diff) with `git apply`. */
export async function applyHumanFix(dir: string, incident: ExampleIncident): Promise<void> {
  await git(dir, 'apply', '--whitespace=nowarn', incident.fixFile);
}

export interface TemplateRepair {
  candidates: TemplateCandidate[];
  tried: Array<{ id: string; template: string; description: string; verdict: string }>;
  validated?: TemplateCandidate;
}

function failures(results: Awaited<ReturnType<typeof runTests>>): string[] {
  return results.tests.filter((t) => t.status === 'failed' || t.status === 'error').map((t) => t.id);
}

/**
 * The offline template engine on a reproduced incident: localize (stack + spectrum), generate the
 * candidates for the service's source files, then apply each in order and keep the first that the
 * suppression guard accepts and that makes the whole suite pass, the reproduction included. The
 * validated patch stays applied.
 */
export async function repairWithTemplates(input: {
  bundle: Bundle;
  dir: string;
  sandbox: Sandbox;
  config: RepoConfig;
  reproduction: Extract<Reproduction, { status: 'reproduced' }>;
  editable: readonly string[];
  maxTries?: number;
}): Promise<TemplateRepair> {
  const { bundle, dir, sandbox, config, reproduction } = input;
  const workspaceFiles = await listWorkspaceFiles(dir);
  const loc = await localize({ bundle, sandbox, repoConfig: config, workspaceFiles, reproTestId: reproduction.testId });
  const ranking = loc.ranking.filter((l) => input.editable.includes(l.file));
  const files = new Map<string, string>();
  for (const l of ranking) if (!files.has(l.file)) files.set(l.file, await readFile(path.join(dir, l.file), 'utf8'));
  const candidates = await generateCandidates({ files, ranking, language: config.language, exec: sandbox.exec.bind(sandbox) });
  const frame = reproduction.signature.frame;
  const crashSite = frame?.line ? { file: frame.file, line: frame.line, function: frame.function } : undefined;
  const tried: TemplateRepair['tried'] = [];
  for (const c of candidates.slice(0, input.maxTries ?? 60)) {
    const after = new Map([...files, ...c.newContent]);
    if (crashSite) {
      const verdict = await checkSuppression({ before: files, after, crashSite, exec: sandbox.exec.bind(sandbox) });
      if (verdict.suppressed) {
        tried.push({ id: c.id, template: c.template, description: c.description, verdict: `suppressed: ${verdict.reason}` });
        continue;
      }
    }
    for (const [f, content] of c.newContent) await writeFile(path.join(dir, f), content);
    const suite = await runTests(sandbox, config, bundle.repro.env.tz ? { env: { TZ: bundle.repro.env.tz } } : {});
    const failed = failures(suite);
    const ranRepro = suite.tests.some((t) => t.id === reproduction.testId && t.status === 'passed');
    if (failed.length === 0 && ranRepro && !suite.problem) {
      tried.push({ id: c.id, template: c.template, description: c.description, verdict: 'validated' });
      return { candidates, tried, validated: c };
    }
    tried.push({ id: c.id, template: c.template, description: c.description, verdict: `fails ${failed.join(', ') || suite.problem || 'the reproduction did not run'}` });
    for (const f of c.newContent.keys()) await writeFile(path.join(dir, f), files.get(f)!);
  }
  return { candidates, tried };
}
