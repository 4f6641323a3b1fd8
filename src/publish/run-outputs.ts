// The run's outputs as `tracefix repair` and the repair worker leave them (write-outputs.ts):
// result.json, patch.diff, pr.md and the reproduction test under its own file name. The commit is
// built from these, never from a sandbox's workspace.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Run } from '../../schemas/run.ts';
import { normalizeWorkspacePath } from '../workspace/path-policy.ts';
import { PublishError } from './errors.ts';

export interface RunOutputs {
  run: Run;
  diff: string;
  prMarkdown: string;
  /** The reproduction test: its workspace path and exact bytes. */
  test?: { path: string; content: Buffer };
}

async function read(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(path.join(dir, name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PublishError('input', code === 'ENOENT' ? `${name} is missing from ${dir}: is it the output directory of a fixed run?` : `cannot read ${name} in ${dir} (${code ?? 'error'})`);
  }
}

export async function readRunOutputs(dir: string): Promise<RunOutputs> {
  let json: unknown;
  try {
    json = JSON.parse((await read(dir, 'result.json')).toString('utf8'));
  } catch (error) {
    if (error instanceof PublishError) throw error;
    throw new PublishError('input', `result.json in ${dir} is not JSON`);
  }
  const parsed = Run.safeParse(json);
  if (!parsed.success) throw new PublishError('input', `result.json in ${dir} is not a tracefix run record: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const run = parsed.data;
  if (run.status !== 'fixed' || !run.proposal) throw new PublishError('input', `run ${run.id} is ${run.status}${run.reason ? ` (${run.reason.slice(0, 200)})` : ''}: only a fixed run has a fix to publish`);
  const diff = (await read(dir, 'patch.diff')).toString('utf8');
  const prMarkdown = (await read(dir, 'pr.md')).toString('utf8');
  const repro = run.reproduction?.status === 'reproduced' ? run.reproduction : undefined;
  const testPath = run.proposal.testFile ?? repro?.testFile;
  if (!testPath) return { run, diff, prMarkdown };
  const workspacePath = normalizeWorkspacePath(testPath);
  if (!workspacePath) throw new PublishError('input', `result.json names a test path outside the repository: ${testPath.slice(0, 200)}`);
  // The file as written next to result.json (its exact bytes); the record's copy otherwise.
  const content = await readFile(path.join(dir, path.posix.basename(workspacePath))).catch(() => undefined);
  const recorded = run.proposal.testContent ?? repro?.testContent;
  if (!content && recorded === undefined) return { run, diff, prMarkdown };
  return { run, diff, prMarkdown, test: { path: workspacePath, content: content ?? Buffer.from(recorded ?? '', 'utf8') } };
}
