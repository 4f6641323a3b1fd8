// A bundle's canonical JSON by its sha256: the local artifact store first, else the copy in the
// bundles table (written by whichever worker assembled it, maybe on another host), which is then
// kept locally too. One reader for the workers, the API and the dashboard.
import type { ArtifactStore } from './artifacts.ts';
import type { Queryable } from './db.ts';

export async function bundleContent(db: Queryable, artifacts: ArtifactStore | undefined, sha256: string): Promise<Buffer | null> {
  const local = artifacts ? await artifacts.get(sha256) : null;
  if (local) return local;
  const [row] = await db.query<{ content: string | null }>('select content from bundles where sha256 = $1 and content is not null limit 1', [sha256]);
  if (!row?.content) return null;
  const bytes = Buffer.from(row.content, 'utf8');
  await artifacts?.put(bytes);
  return bytes;
}
