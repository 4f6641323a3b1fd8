// The bisect's good end from production: releases of the same service that reported other
// failures but never this one, newest first, on both database engines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { releasesWithoutFingerprint } from '../../../src/bisect/good-releases.ts';
import { recordOutcome } from '../../../src/store/incident-store.ts';
import { makeAlert } from '../../helpers/alerts.ts';
import { ENGINES } from '../../helpers/databases.ts';

const sha = (c: string) => c.repeat(40);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const other = { errorType: 'Error', message: 'db timeout', title: 'Error: db timeout', frames: [{ file: 'src/db.js', function: 'query', line: 1, inApp: true }] };

for (const engine of ENGINES) {
  describe(`releasesWithoutFingerprint (${engine.name})`, () => {
    it('lists releases of the service that never carried the fingerprint, newest first', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const send = async (alert: Parameters<typeof makeAlert>[0]) => {
        const r = await recordOutcome(db, { kind: 'alert', alert: makeAlert({ service: 'shop', ...alert }) });
        return 'incidentId' in r ? r.incidentId : null;
      };
      const incidentId = await send({ release: 'shop@1.3', commitSha: sha('c'), receivedAt: minutesAgo(1) });
      await send({ release: 'shop@1.2', commitSha: sha('c'), receivedAt: minutesAgo(5) }); // same commit, same failure
      await send({ ...other, release: 'shop@1.3', commitSha: sha('c'), receivedAt: minutesAgo(2) }); // carried it: not good
      await send({ ...other, release: 'shop@1.1', commitSha: sha('b'), receivedAt: minutesAgo(10) });
      await send({ ...other, release: `shop@1.2-4-g${'d'.repeat(12)}`, receivedAt: minutesAgo(3) }); // sha in the release
      await send({ ...other, release: 'shop@1.0', receivedAt: minutesAgo(20) }); // mapped by the config
      await send({ ...other, release: 'shop@0.9', receivedAt: minutesAgo(30) }); // no commit known: left out
      await send({ ...other, message: 'billing down', title: 'Error: billing down', service: 'billing', release: 'billing@7', commitSha: sha('e'), receivedAt: minutesAgo(1) }); // another service
      assert.ok(incidentId);
      const releases = await releasesWithoutFingerprint(db, { incidentId, releaseCommits: { 'shop@1.0': sha('a') } });
      assert.deepEqual(releases, [
        { commit: 'd'.repeat(12), release: `shop@1.2-4-g${'d'.repeat(12)}` },
        { commit: sha('b'), release: 'shop@1.1' },
        { commit: sha('a'), release: 'shop@1.0' },
      ]);
    });
  });
}
