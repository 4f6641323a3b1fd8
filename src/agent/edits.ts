// What the agent changed in the workspace, so a submission is exactly its edits and nothing
// else, and the workspace can always go back to how the attempt found it. The first touch of a
// file records its original content (or that it did not exist: the agent's own test files);
// the patch is every touched source file whose content differs from its original.
import type { Sandbox } from '../sandbox/types.ts';
import { unifiedDiff } from '../repair/templates/unified-diff.ts';

/** The line diff is quadratic in the changed region: a whole-file rewrite of a large file gets
 * a one-line summary instead of minutes of CPU. */
const MAX_DIFF_CELLS = 4_000_000;

export function safeDiff(path: string, before: string, after: string): string {
  const a = before.split('\n').length;
  const b = after.split('\n').length;
  if (a * b > MAX_DIFF_CELLS) return `diff --git a/${path} b/${path}\n(too large to show: ${a} lines before, ${b} after)\n`;
  return unifiedDiff(path, before, after);
}

export class EditLedger {
  private readonly sandbox: Sandbox;
  /** Path → content before the attempt touched it; null when the file did not exist. */
  private readonly originals = new Map<string, string | null>();
  /** Files the agent created with write_test. */
  private readonly created = new Set<string>();

  constructor(sandbox: Sandbox) {
    this.sandbox = sandbox;
  }

  /** Call before the first write to `path`. */
  async touch(path: string, existed: boolean): Promise<void> {
    if (this.originals.has(path)) return;
    this.originals.set(path, existed ? await this.sandbox.readFile(path) : null);
    if (!existed) this.created.add(path);
  }

  isCreated(path: string): boolean {
    return this.created.has(path);
  }

  createdFiles(): string[] {
    return [...this.created].sort();
  }

  touched(): string[] {
    return [...this.originals.keys()].sort();
  }

  hasChanges(): boolean {
    return this.originals.size > 0;
  }

  /** Current content of every touched file (null: it does not exist now). */
  async snapshot(): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (const path of this.touched()) out.set(path, await this.sandbox.readFile(path).catch(() => null));
    return out;
  }

  /** Source files whose content differs from the original: what a patch holds. The agent's own
   * test files stay out unless `includeCreated` (a reproduction is one of them). */
  async changes(options: { includeCreated?: boolean } = {}): Promise<{ path: string; before: string; after: string }[]> {
    const out: { path: string; before: string; after: string }[] = [];
    const now = await this.snapshot();
    for (const [path, original] of this.originals) {
      if (this.created.has(path) && !options.includeCreated) continue;
      const current = now.get(path);
      if (current !== null && current !== undefined && current !== original) out.push({ path, before: original ?? '', after: current });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Unified diffs of everything touched, the agent's test files included (marked by /dev/null). */
  async diff(): Promise<string> {
    const now = await this.snapshot();
    const parts: string[] = [];
    for (const [path, original] of this.originals) {
      const current = now.get(path) ?? '';
      if (current === (original ?? '')) continue;
      parts.push(safeDiff(path, original ?? '', current));
    }
    return parts.join('');
  }

  /** Puts every touched file back as the attempt found it; created files are removed. */
  async reset(): Promise<void> {
    for (const [path, original] of this.originals) {
      if (original === null) await this.remove(path);
      else await this.sandbox.writeFile(path, original);
    }
  }

  /** Writes a snapshot back (after validation restored the workspace to the pre-edit state). */
  async restore(snapshot: ReadonlyMap<string, string | null>): Promise<void> {
    for (const [path, content] of snapshot) {
      if (content === null) await this.remove(path);
      else await this.sandbox.writeFile(path, content);
    }
  }

  /** Forgets the agent's edits (after reset): the next attempt starts clean. */
  clear(): void {
    this.originals.clear();
    this.created.clear();
  }

  private async remove(path: string): Promise<void> {
    const r = await this.sandbox.exec(['rm', '-f', '--', path], { timeoutMs: 30_000 });
    if (r.exitCode !== 0) throw new Error(`cannot remove ${path} from the workspace: ${r.stderr.trim().slice(0, 300)}`);
  }
}
