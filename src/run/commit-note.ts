// When no commit is known for an incident (the bundle's `commitSource: none`), the run repairs the
// repository's default branch as it is now, not the code that failed. The run says so, in the same
// words, in its progress, its result.json (`repo.note`) and its pr.md: a proposal never claims more
// than its evidence.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Bundle } from '../../schemas/bundle.ts';
import type { Workspace } from '../workspace/index.ts';

const run = promisify(execFile);

/** The branch the mirror's HEAD follows (the remote's default branch), else undefined. */
export async function defaultBranch(workspace: Pick<Workspace, 'mirrorDir'>): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['--git-dir', workspace.mirrorDir, 'symbolic-ref', '--short', 'HEAD'], { timeout: 10_000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `commit unknown; repaired at HEAD of <branch>` when the bundle named no commit, else undefined. */
export async function commitNote(bundle: Pick<Bundle, 'repo'>, workspace: Pick<Workspace, 'mirrorDir'>): Promise<string | undefined> {
  if (bundle.repo.commitSha) return undefined;
  return `commit unknown; repaired at HEAD of ${(await defaultBranch(workspace)) ?? 'the default branch'}`;
}

/** The pr.md line that carries the note, first in the body where a reviewer cannot miss it. */
export function commitNoteBody(note: string, body: string): string {
  return `> **Note**: ${note} (the alert named no commit and no release that maps to one), so the code repaired may differ from the code that failed.\n\n${body}`;
}
