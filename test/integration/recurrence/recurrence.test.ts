// The recurrence watch against a real repository (a fix merged with a merge commit, a release
// after it) and a real database on both engines, with a controllable clock: the same failure from
// a release that contains the fix is a regression (status, a new run queued), from an older
// release only "still deployed"; traffic from a fixed release for TRACEFIX_VERIFY_DAYS without
// the failure verifies the fix, and traffic from old releases alone never does.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Alert } from '../../../schemas/alert.ts';
import { assembleIncident } from '../../../src/assemble/assemble-incident.ts';
import { loadConfig, type Config } from '../../../src/config.ts';
import { ArtifactStore } from '../../../src/store/artifacts.ts';
import type { Db } from '../../../src/store/db.ts';
import { FixMergeError, getFixMerge, recordFixMerged } from '../../../src/store/fix-merge-store.ts';
import { getIncident, recordOutcome } from '../../../src/store/incident-store.ts';
import { MemoryTraceStore } from '../../../src/traces/memory-trace-store.ts';
import { recurrencePass } from '../../../workers/recurrence.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { ENGINES } from '../../helpers/databases.ts';
import { commit, gitIn, makeRepo } from '../../helpers/git-repo.ts';

const log = pino({ level: process.env['TEST_LOG'] ?? 'silent' });
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-02T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('recurrence watch', () => {
  let tmp: string;
  let origin: string;
  let old: string; // release shop@1.0: the bug, no fix
  let merge: string; // the fix's merge commit
  let fixed: string; // release shop@1.1: after the merge

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'tracefix-recurrence-'));
    await chmod(tmp, 0o711);
    origin = path.join(tmp, 'origin');
    [, old] = (await makeRepo(origin, [{ 'src/cart.js': 'export const total = (c) => c.items.price;\n' }, { 'README.md': 'shop\n' }])) as [string, string];
    await gitIn(origin, 'checkout', '-q', '-b', 'tracefix/fix');
    await commit(origin, { 'src/cart.js': 'export const total = (c) => c.items?.price ?? 0;\n' }, 'fix: TypeError in total');
    await gitIn(origin, 'checkout', '-q', 'main');
    await commit(origin, { 'CHANGELOG.md': 'unrelated\n' }, 'unrelated on main');
    await gitIn(origin, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #7 from tracefix/fix', 'tracefix/fix');
    merge = await gitIn(origin, 'rev-parse', 'HEAD');
    fixed = await commit(origin, { 'README.md': 'shop 1.1\n' }, 'release 1.1');
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  for (const engine of ENGINES) {
    describe(engine.name, () => {
      let db: Db;
      let drop: () => Promise<void>;
      let config: Config;
      let artifacts: ArtifactStore;
      let clock = T0;

      before(async () => {
        ({ db, drop } = await engine.open());
        const dataDir = await mkdtemp(path.join(tmp, `data-${engine.name}-`));
        config = loadConfig({ TRACEFIX_DATA_DIR: dataDir, TRACEFIX_SERVICE_REPOS: JSON.stringify({ shop: origin }), TRACEFIX_VERIFY_DAYS: '7' });
        artifacts = new ArtifactStore(dataDir);
      });
      after(() => drop());

      const pass = () => recurrencePass({ config, db, artifacts, log, now: () => new Date(clock) });
      const send = async (overrides: Partial<Alert>) => {
        const r = await recordOutcome(db, { kind: 'alert', alert: makeAlert({ service: 'shop', ...overrides }) });
        assert.ok('incidentId' in r && r.incidentId);
        return r.incidentId;
      };
      const outbox = async (incidentId: string) =>
        (await db.query<{ job_id: string }>("select job_id from outbox where queue = 'assemble' and payload->>'incidentId' = $1 order by id", [incidentId])).map((r) => r.job_id);

      it('the failure from a release without the fix is still deployed; from one with it, regressed', async () => {
        const incidentId = await send({ release: 'shop@1.0', commitSha: old, receivedAt: at(-DAY) });
        await assembleIncident({ config, db, traceStore: new MemoryTraceStore(), artifacts, log }, incidentId);
        await assert.rejects(recordFixMerged(db, incidentId, 'abc123', at(0)), FixMergeError);
        await assert.rejects(recordFixMerged(db, 'inc_nope', merge, at(0)), /no incident inc_nope/);
        await recordFixMerged(db, incidentId, merge, at(0));
        await recordFixMerged(db, incidentId, merge, at(0)); // a redelivered merge event changes nothing
        assert.equal((await getIncident(db, incidentId))?.status, 'merged');

        // The old release is still running somewhere and still fails: not a regression.
        assert.equal(await send({ release: 'shop@1.0', commitSha: old, receivedAt: at(DAY) }), incidentId);
        clock = T0 + 2 * DAY;
        assert.deepEqual(await pass(), [{ incidentId, result: 'watching' }]);
        let fix = await getFixMerge(db, incidentId);
        assert.equal(fix?.stillDeployed, 1);
        assert.equal(fix?.regressedAt, null);
        assert.equal((await getIncident(db, incidentId))?.status, 'merged');
        assert.deepEqual(await outbox(incidentId), [incidentId], 'only the first run');

        // A commit the repository does not have (after a fetch): nothing can be said about it.
        await send({ release: 'shop@9.9', commitSha: 'f'.repeat(40), receivedAt: at(DAY + 1000) });
        assert.deepEqual(await pass(), [{ incidentId, result: 'watching' }]);
        assert.equal((await getFixMerge(db, incidentId))?.unclassified, 1);
        assert.equal((await getIncident(db, incidentId))?.status, 'merged');

        // The release after the merge (named by its version only, mapped through the sha suffix).
        await send({ release: `shop@1.1+${fixed.slice(0, 12)}`, commitSha: undefined, receivedAt: at(3 * DAY) });
        clock = T0 + 3 * DAY;
        const [outcome] = await pass();
        assert.equal(outcome?.result, 'regressed');
        fix = await getFixMerge(db, incidentId);
        assert.equal(fix?.regressedAt, new Date(clock).toISOString());
        assert.equal(fix?.regressionAlertId, outcome?.regressionAlertId);
        assert.equal((await getIncident(db, incidentId))?.status, 'regressed');
        assert.deepEqual(await outbox(incidentId), [incidentId, `${incidentId}-regressed-${outcome?.regressionAlertId}`], 'a new run is queued');
        const checks = await db.query<{ commit_sha: string; contains_fix: boolean }>('select commit_sha, contains_fix from fix_release_checks where incident_id = $1 order by contains_fix', [incidentId]);
        assert.deepEqual(checks.map((c) => [c.commit_sha, c.contains_fix]), [[old, false], [fixed.slice(0, 12), true]]);
        // A regressed incident is no longer watched.
        assert.deepEqual(await pass(), []);
      });

      it('traffic from a fixed release for the window verifies the fix; old releases alone never do', async () => {
        const fp = { errorType: 'RangeError', message: 'Invalid count value: -1', title: 'RangeError: Invalid count value: -1', frames: [{ file: 'src/cart.js', function: 'repeat', line: 3, inApp: true }] };
        const incidentId = await send({ ...fp, release: 'shop@1.0', commitSha: old, receivedAt: at(-DAY) });
        await assembleIncident({ config, db, traceStore: new MemoryTraceStore(), artifacts, log }, incidentId);
        await recordFixMerged(db, incidentId, merge, at(10 * DAY));
        // An unrelated failure from the old release: traffic, but not from a release with the fix.
        await send({ errorType: 'Error', message: 'db timeout', title: 'Error: db timeout', frames: [{ file: 'src/db.js', function: 'query', line: 1, inApp: true }], release: 'shop@1.0', commitSha: old, receivedAt: at(11 * DAY) });
        clock = T0 + 40 * DAY;
        assert.deepEqual(await pass(), [{ incidentId, result: 'watching' }]);
        assert.equal((await getFixMerge(db, incidentId))?.fixTrafficAt, null);

        // A span from the fixed release (its resource names the revision) starts the window.
        await db.query(`insert into trace_resources (id, attributes) values ('res-fixed', $1)`, [JSON.stringify({ 'service.name': 'shop', 'vcs.ref.head.revision': fixed })]);
        await db.query(
          `insert into trace_spans (trace_id, span_id, name, kind, start_ns, end_ns, status_code, service, attributes, events, resource_id, received_at)
           values ('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 'GET /cart', 2, 1, 2, 0, 'shop', '{}', '[]', 'res-fixed', $1)`,
          [at(41 * DAY)],
        );
        clock = T0 + 41 * DAY + 6 * DAY;
        assert.deepEqual(await pass(), [{ incidentId, result: 'watching' }]);
        assert.equal((await getFixMerge(db, incidentId))?.fixTrafficAt, at(41 * DAY));
        assert.equal((await getIncident(db, incidentId))?.status, 'merged');

        clock = T0 + 48 * DAY;
        assert.deepEqual(await pass(), [{ incidentId, result: 'verified' }]);
        assert.equal((await getFixMerge(db, incidentId))?.verifiedAt, new Date(clock).toISOString());
        assert.equal((await getIncident(db, incidentId))?.status, 'verified');
      });
    });
  }
});
