// TEST HELPER: real git repositories with a commit history, in temp directories.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function gitIn(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd: dir });
  return stdout.trim();
}

/** Files to write (null deletes) per commit. */
export type CommitSpec = Record<string, string | null>;

/** Creates a repository on branch `main` with one commit per spec; returns the shas in order. */
export async function makeRepo(dir: string, commits: CommitSpec[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  await gitIn(dir, 'init', '-q', '-b', 'main');
  const shas: string[] = [];
  for (const [i, files] of commits.entries()) shas.push(await commit(dir, files, `commit ${i + 1}`));
  return shas;
}

export async function commit(dir: string, files: CommitSpec, message: string): Promise<string> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    if (content === null) await rm(abs, { force: true });
    else {
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
    }
  }
  await gitIn(dir, 'add', '-A');
  await gitIn(dir, 'commit', '-q', '-m', message);
  return gitIn(dir, 'rev-parse', 'HEAD');
}
