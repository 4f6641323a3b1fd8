// The bundles table: the assemble stage records a bundle (with its content, so a worker on another
// host can read it) and what it learned about the incident, in one transaction; the workers, the
// API and the dashboard read a bundle's canonical JSON by its sha256 (the local artifact store
// first, else the table's copy, which is then kept locally too).
import type { ArtifactStore } from './artifacts.ts';
import type { Db, Queryable } from './db.ts';

export interface AssembledBundle {
  incidentId: string;
  sha256: string;
  tokens: number;
  canonicalJson: string;
  /** What the bundle knows better than the first alert did; null keeps the incident's value. */
  service: string | null;
  repo: string | null;
  commitSha: string | null;
}

/** Stores the bundle and moves the incident to `assembled` with the bundle's service, repository and commit. */
export async function recordBundle(db: Db, bundle: AssembledBundle): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('insert into bundles (incident_id, sha256, tokens, content) values ($1, $2, $3, $4) on conflict do nothing', [
      bundle.incidentId,
      bundle.sha256,
      bundle.tokens,
      bundle.canonicalJson,
    ]);
    await tx.query(
      `update incidents set status = 'assembled', service = coalesce($2, service), repo = coalesce($3, repo),
         commit_sha = coalesce($4, commit_sha), updated_at = now() where id = $1`,
      [bundle.incidentId, bundle.service, bundle.repo, bundle.commitSha],
    );
  });
}

export async function latestBundleSha(db: Queryable, incidentId: string): Promise<string | null> {
  const [row] = await db.query<{ sha256: string }>('select sha256 from bundles where incident_id = $1 order by created_at desc limit 1', [incidentId]);
  return row?.sha256 ?? null;
}

export async function bundleContent(db: Queryable, artifacts: ArtifactStore | undefined, sha256: string): Promise<Buffer | null> {
  const local = artifacts ? await artifacts.get(sha256) : null;
  if (local) return local;
  const [row] = await db.query<{ content: string | null }>('select content from bundles where sha256 = $1 and content is not null limit 1', [sha256]);
  if (!row?.content) return null;
  const bytes = Buffer.from(row.content, 'utf8');
  await artifacts?.put(bytes);
  return bytes;
}
