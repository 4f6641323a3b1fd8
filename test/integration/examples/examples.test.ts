// examples/ end to end, below the CLI's repair command: for every incident of every example
// service, in a real sandbox, on a fresh git repository of the service (without its incidents),
// its dependencies installed the way a run installs them (sessions-js: `ms` from the npm registry;
// rates-py: `moneytext` pinned by hash, from its wheel directory):
//   - the install stage fetches them on the host, and a second checkout restores them from the cache;
//   - the service's own suite passes (the bug is not covered by it);
//   - `tracefix bundle --sentry … --otlp-traces … --otlp-logs … --repo …` assembles a bundle whose
//     trace holds the error span with its exception event and whose logs hold the failing
//     request's records (by trace id), at the repository's HEAD;
//   - the reproduce stage writes a test that fails with the incident's signature;
//   - the regression test (the fix commit's test) fails on the buggy code and passes with fix.diff;
//   - the offline template engine (localize → candidates → first that passes the suite and the
//     reproduction) finds a patch, with the template the incident names, that also passes the
//     regression test it never saw (incidents the engine does not fix today name no template).
// Each incident costs a few sandboxes per target, so the full walk runs on a representative subset
// (E2E_INCIDENTS in helpers.ts: every service, both alert kinds, fixed and unfixed); the repair
// benchmark (`node bench/repair/run.ts --corpus examples`) and convert.test.ts cover every incident.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Bundle } from '../../../schemas/bundle.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Reproduction } from '../../../schemas/run.ts';
import type { ExampleIncident } from '../../../bench/repair/convert-examples.ts';
import { reproduce } from '../../../src/reproduce/index.ts';
import { runTests } from '../../../src/runners/run-tests.ts';
import type { Sandbox } from '../../../src/sandbox/types.ts';
import { runCli } from '../../helpers/cli.ts';
import { sandboxTargets } from '../reproduce/helpers.ts';
import { applyHumanFix, E2E_INCIDENTS, incidents, installRegressionTest, repairWithTemplates, serviceRepo, serviceSandbox, type ServiceRepo, type ServiceSandbox } from './helpers.ts';

const targets = await sandboxTargets();
const all = await incidents();

const runtimeOf = (i: ExampleIncident) => (i.language === 'python' ? 'python' : 'node');
const bad = (r: Awaited<ReturnType<typeof runTests>>) => r.tests.filter((t) => t.status === 'failed' || t.status === 'error');

/** The failing trace's id: the one span of otlp-traces.json that carries the exception event. */
function recordedTraceId(otlp: Record<string, any>): string {
  const spans = otlp['resourceSpans'].flatMap((rs: any) => rs['scopeSpans'].flatMap((ss: any) => ss['spans']));
  return spans.find((s: any) => (s['events'] ?? []).some((e: any) => e['name'] === 'exception'))['traceId'];
}

describe('examples/', () => {
  it('has the incidents the issue asks for: JS, TS and Python services, Sentry and GitHub-issue alerts, fixed and not', () => {
    for (const service of ['bookings-py', 'catalog-ts', 'checkout-js', 'invoices-ts', 'orders-py', 'rates-py', 'sessions-js']) assert.ok(all.some((i) => i.service === service), service);
    assert.deepEqual([...new Set(all.map((i) => i.language))].sort(), ['node', 'python', 'typescript']);
    assert.ok(all.length >= 15, `${all.length} incidents`);
    assert.ok(all.filter((i) => i.alert === 'github-issue').length >= 2, 'incidents reported only by a GitHub issue');
    assert.ok(all.some((i) => i.alert === 'ci-test' && i.ciTest), 'a wrong output caught by a CI test');
    assert.ok(all.filter((i) => i.template === null).length >= 4, 'incidents the engine does not fix today');
  });

  it('the end-to-end subset names existing incidents and covers every service and both alert kinds', () => {
    const subset = all.filter((i) => E2E_INCIDENTS.includes(`${i.service}/${i.name}`));
    assert.equal(subset.length, E2E_INCIDENTS.length, `unknown names in E2E_INCIDENTS: ${E2E_INCIDENTS.join(', ')}`);
    assert.deepEqual([...new Set(subset.map((i) => i.service))].sort(), [...new Set(all.map((i) => i.service))].sort());
    assert.ok(subset.some((i) => i.alert === 'github-issue') && subset.some((i) => i.alert !== 'github-issue'));
    assert.ok(subset.some((i) => i.template === null) && subset.some((i) => i.template !== null));
  });
});

for (const target of targets) {
  for (const incident of all.filter((i) => E2E_INCIDENTS.includes(`${i.service}/${i.name}`))) {
    describe(`${incident.service}/${incident.name} (${target.name})`, { skip: target.skip }, () => {
      let repo: ServiceRepo;
      let sandbox: Sandbox;
      let config: RepoConfig;
      let dataDir: string;
      let deps: ServiceSandbox['deps'];
      let bundle: Bundle | undefined;
      let reproduction: Reproduction | undefined;

      before(async () => {
        repo = await serviceRepo(incident);
        dataDir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-example-data-'));
        // The fetch runs as an unprivileged uid when the tests run as root: it must reach <dataDir>/deps.
        await chmod(dataDir, 0o711);
        ({ sandbox, config, deps } = await serviceSandbox(target, repo.dir, runtimeOf(incident), dataDir));
      });
      after(async () => {
        await sandbox?.destroy();
        await repo?.cleanup();
        await rm(dataDir, { recursive: true, force: true });
      });

      it('the install stage fetched what the lockfile pins, or found nothing to install', () => {
        const locked = incident.service === 'sessions-js' || incident.service === 'rates-py';
        assert.equal(deps.outcome?.source, locked ? 'fetched' : undefined, JSON.stringify(deps.outcome));
        if (locked) assert.equal(deps.outcome?.packages, 1);
      });

      it("the service's own suite passes", async () => {
        const suite = await runTests(sandbox, config);
        assert.equal(suite.problem, undefined, suite.problem ?? '');
        assert.ok(suite.tests.length >= 3, JSON.stringify(suite.tests));
        assert.deepEqual(bad(suite), []);
      });

      it('tracefix bundle assembles the Sentry event, the trace and the logs at HEAD', async () => {
        const out = path.join(dataDir, 'bundle.json');
        const alertFlag = incident.alert === 'github-issue' ? '--github-issue' : '--sentry';
        const { otlpTraces, otlpLogs } = incident;
        assert.ok(otlpTraces && otlpLogs, 'a production incident: E2E_INCIDENTS holds no CI failure (test/integration/repair/value-search.test.ts runs that path)');
        const cli = await runCli(
          ['bundle', alertFlag, incident.alertFile, '--otlp-traces', otlpTraces, '--otlp-logs', otlpLogs, '--repo', repo.dir, '-o', out],
          { TRACEFIX_DATA_DIR: dataDir },
        );
        assert.equal(cli.code, 0, cli.output);
        bundle = Bundle.parse(JSON.parse(await readFile(out, 'utf8')));
        const otlp = JSON.parse(await readFile(otlpTraces, 'utf8'));
        assert.equal(bundle.exception.type, incident.error.type);
        assert.equal(bundle.exception.message, incident.error.message);
        assert.equal(bundle.repo.commitSha, repo.commit, 'the release is no commit: HEAD is');
        assert.equal(bundle.trace.traceId, recordedTraceId(otlp), 'the alert names the recorded trace');
        const span = bundle.trace.errorSpan;
        assert.ok(span, 'the error span is in the bundle');
        assert.equal(span.status, 'error');
        assert.ok(span.events.some((e) => e.name === 'exception'), 'the error span carries the exception event');
        assert.ok(bundle.trace.ancestors.some((s) => s.kind === 'server') || span.kind === 'server', 'the server span is on the path');
        assert.ok(bundle.logs.traceRecords >= 1 && bundle.logs.entries.some((e) => e.origin === 'trace'), 'a log record of the failing trace');
        assert.ok(bundle.repro.request, 'the request is kept for the reproduction');
      });

      it('reproduces with the incident signature', async (t) => {
        assert.ok(bundle, 'needs the bundle');
        reproduction = await reproduce({ bundle, workspaceDir: repo.dir, sandbox, repoConfig: config });
        assert.equal(reproduction.status, 'reproduced', JSON.stringify(reproduction, null, 2));
        if (reproduction.status !== 'reproduced') return;
        assert.equal(reproduction.signature.type, incident.error.type);
        assert.equal(reproduction.signature.frame?.file, incident.error.file);
        assert.equal(reproduction.signature.frame?.function, incident.error.function);
        const won = reproduction.attempts.at(-1);
        t.diagnostic(`${won?.frame?.function}(${won?.arguments?.map((a) => `${a.name} from ${a.source}`).join(', ')})`);
      });

      it('the regression test fails on the buggy code and passes with the human fix', async () => {
        const other = await serviceRepo(incident);
        const { sandbox: box, deps: again } = await serviceSandbox(target, other.dir, runtimeOf(incident), dataDir);
        try {
          // The same lockfile again: restored from the cache, nothing fetched.
          if (deps.outcome) assert.equal(again.outcome?.source, 'cache');
          const file = await installRegressionTest(other.dir, incident);
          const buggy = await runTests(box, config);
          const failing = bad(buggy);
          assert.ok(failing.length > 0 && failing.every((t) => t.file === file), JSON.stringify(failing, null, 2));
          await applyHumanFix(other.dir, incident);
          const fixed = await runTests(box, config);
          assert.deepEqual(bad(fixed), []);
          assert.ok(fixed.tests.some((t) => t.file === file && t.status === 'passed'));
        } finally {
          await box.destroy();
          await other.cleanup();
        }
      });

      const unfixed = incident.template === null ? 'not fixed by the template engine today (incident.json names no template); the benchmark measures it' : false;
      it(`the template engine finds a patch (${incident.template}) that also passes the regression test`, { skip: unfixed }, async (t) => {
        assert.ok(bundle && reproduction?.status === 'reproduced', 'needs the reproduction');
        const repair = await repairWithTemplates({ bundle, dir: repo.dir, sandbox, config, reproduction, editable: incident.files });
        const log = JSON.stringify(repair.tried, null, 2);
        assert.ok(repair.validated, `no candidate validated of ${repair.candidates.length}:\n${log}`);
        assert.equal(repair.validated.template, incident.template, log);
        t.diagnostic(`${repair.validated.description}: candidate ${repair.tried.length} of ${repair.candidates.length}`);
        await installRegressionTest(repo.dir, incident);
        const graded = await runTests(sandbox, config);
        assert.deepEqual(bad(graded), [], `${repair.validated.diff}\n${log}`);
      });
    });
  }
}
