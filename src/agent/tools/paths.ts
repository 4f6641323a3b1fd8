// Which paths a tool may read or write, decided before the sandbox is touched, with the reason
// the model reads when it is refused. Writes follow the repository's path policy (denied
// paths, existing tests) plus the agent's own rules: source edits only to files of the
// commit, new files only as tests, the reproduction test never. A path that is a symlink is
// judged by where it points, too.
import { checkPath, findTestFiles, normalizeWorkspacePath } from '../../workspace/path-policy.ts';
import type { ToolContext } from './types.ts';

export type PathVerdict = { ok: true; path: string } | { ok: false; reason: string };

/** Any path inside the workspace except git metadata. */
export function readablePath(requested: string): PathVerdict {
  const rel = requested === '.' || requested === '' ? '.' : normalizeWorkspacePath(requested);
  if (!rel) return { ok: false, reason: `refused: ${JSON.stringify(requested)} is not a path inside the workspace (use a relative path such as src/app.js)` };
  if (rel.split('/').includes('.git')) return { ok: false, reason: `refused: ${rel} is git metadata` };
  return { ok: true, path: rel };
}

/** Where a path really leads inside the sandbox (symlinks resolved), or undefined when it leaves the workspace. */
async function resolved(context: ToolContext, rel: string): Promise<string | undefined> {
  const r = await context.sandbox.exec(['realpath', '-m', '--relative-to=.', '--', rel], { timeoutMs: 30_000 });
  if (r.exitCode !== 0) return rel;
  const out = r.stdout.trim();
  if (out === '..' || out.startsWith('../') || out.startsWith('/')) return undefined;
  return out;
}

function policy(context: ToolContext, rel: string, forTest: boolean): string | undefined {
  const decision = checkPath(context.repoConfig, rel, { existingTests: context.existingTests });
  // The allow list bounds what a patch may change; the agent's own tests are not part of one.
  if (!decision.allowed && !(forTest && decision.reason === 'outside the allowed paths')) return `refused: ${rel} is ${decision.reason === 'an existing test file' ? 'an existing test file: tests are evidence, a fix never edits or deletes them' : `not editable (${decision.reason})`}`;
  if (context.reproduction?.testFile && rel === context.reproduction.testFile) {
    return `refused: ${rel} is the reproduction test; a fix makes it pass as it is`;
  }
  return undefined;
}

async function bothWays(context: ToolContext, rel: string, forTest = false): Promise<string | undefined> {
  const denied = policy(context, rel, forTest);
  if (denied) return denied;
  const real = await resolved(context, rel);
  if (real === undefined) return `refused: ${rel} leads outside the workspace`;
  if (real !== rel) {
    const viaLink = policy(context, real, forTest);
    if (viaLink) return `${viaLink} (reached through ${rel})`;
  }
  return undefined;
}

/** An existing source file of the commit, or a test file the agent wrote. */
export async function editablePath(context: ToolContext, requested: string): Promise<PathVerdict> {
  const readable = readablePath(requested);
  if (!readable.ok) return readable;
  const rel = readable.path;
  const denied = await bothWays(context, rel, context.ledger.isCreated(rel));
  if (denied) return { ok: false, reason: denied };
  if (!context.trackedFiles.has(rel) && !context.ledger.isCreated(rel)) {
    return { ok: false, reason: `refused: ${rel} is not a file of the repository at the incident's commit (edit changes existing files; new test files go through write_test)` };
  }
  return { ok: true, path: rel };
}

/** A new test file where the repository keeps its tests (or one the agent already wrote). */
export async function testPath(context: ToolContext, requested: string): Promise<PathVerdict> {
  const readable = readablePath(requested);
  if (!readable.ok) return readable;
  const rel = readable.path;
  const denied = await bothWays(context, rel, true);
  if (denied) return { ok: false, reason: denied };
  if (findTestFiles(context.repoConfig, [rel]).length === 0) {
    return { ok: false, reason: `refused: ${rel} is not where this repository keeps tests (test file patterns: ${context.repoConfig.test.files.join(', ') || 'none configured'})` };
  }
  if (context.trackedFiles.has(rel)) return { ok: false, reason: `refused: ${rel} is an existing file of the repository; write_test only creates new test files` };
  if (!context.ledger.isCreated(rel)) {
    const exists = await context.sandbox.exec(['test', '-e', rel], { timeoutMs: 30_000 });
    if (exists.exitCode === 0) return { ok: false, reason: `refused: ${rel} already exists and was not written by you` };
  }
  return { ok: true, path: rel };
}
