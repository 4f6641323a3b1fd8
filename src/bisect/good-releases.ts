// Releases production ran without this failure: the commits of releases that sent alerts for other
// incidents of the same service but never one with this fingerprint. The bisect takes the newest
// of them on the incident's first-parent history as its good end. Read by the repair worker, off
// the intake path; only the last 90 days of alerts are looked at.
import { asCommitSha, commitFromRelease } from '../evidence/ids.ts';
import type { Queryable } from '../store/db.ts';

export interface ReleaseCommit {
  commit: string;
  release: string;
}

/** The commit an alert ran: its release when that is (or ends in) a sha, its commitSha, else the
 * configured release → commit map (TRACEFIX_RELEASE_COMMITS). */
export function alertCommit(alert: { release?: string | null; commitSha?: string | null }, releaseCommits: Readonly<Record<string, string>>): string | undefined {
  const release = alert.release ?? undefined;
  return commitFromRelease(release) ?? asCommitSha(alert.commitSha) ?? (release !== undefined ? asCommitSha(releaseCommits[release]) : undefined);
}

export async function releasesWithoutFingerprint(
  db: Queryable,
  input: { incidentId: string; releaseCommits: Readonly<Record<string, string>> },
): Promise<ReleaseCommit[]> {
  const rows = await db.query<{ release: string | null; commit_sha: string | null; seen: boolean; last: string | Date }>(
    `select a.alert->>'release' as release, a.alert->>'commitSha' as commit_sha,
            bool_or(i.fingerprint = me.fingerprint) as seen, max(a.received_at) as last
     from incidents me
     join incidents i on i.service is not distinct from me.service
     join alerts a on a.incident_id = i.id
     where me.id = $1 and a.received_at > now() - interval '90 days'
     group by 1, 2`,
    [input.incidentId],
  );
  const byCommit = new Map<string, { release: string; seen: boolean; last: number }>();
  for (const row of rows) {
    const commit = alertCommit({ release: row.release, commitSha: row.commit_sha }, input.releaseCommits);
    if (!commit) continue;
    const last = new Date(row.last).getTime();
    const prior = byCommit.get(commit);
    byCommit.set(commit, {
      release: prior && prior.last > last ? prior.release : (row.release ?? commit),
      seen: (prior?.seen ?? false) || row.seen,
      last: Math.max(prior?.last ?? 0, last),
    });
  }
  return [...byCommit.entries()]
    .filter(([, v]) => !v.seen)
    .sort((a, b) => b[1].last - a[1].last)
    .map(([commit, v]) => ({ commit, release: v.release }));
}
