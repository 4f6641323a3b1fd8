// The fake GitHub's object store: real git objects (blob, tree, commit) under their real SHA-1, so
// a repository imported from a local checkout has the same commit ids there as here, and a tree the
// API builds can be compared with `git write-tree` of the same files.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ObjectType = 'blob' | 'tree' | 'commit';
export interface GitObject {
  type: ObjectType;
  content: Buffer;
}
export interface TreeEntry {
  mode: string;
  name: string;
  sha: string;
}
export interface CommitObject {
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

export class GitObjects {
  readonly objects = new Map<string, GitObject>();

  put(type: ObjectType, content: Buffer): string {
    const sha = createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex');
    this.objects.set(sha, { type, content });
    return sha;
  }

  get(sha: string, type?: ObjectType): GitObject | undefined {
    const object = this.objects.get(sha);
    return object && (!type || object.type === type) ? object : undefined;
  }

  putTree(entries: TreeEntry[]): string {
    // git's order: by name, a tree's name compared as if it ended in "/".
    const key = (e: TreeEntry) => (e.mode === '40000' ? `${e.name}/` : e.name);
    const sorted = [...entries].sort((a, b) => (Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b)))));
    return this.put('tree', Buffer.concat(sorted.map((e) => Buffer.concat([Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]))));
  }

  readTree(sha: string): TreeEntry[] | undefined {
    const object = this.get(sha, 'tree');
    if (!object) return undefined;
    const entries: TreeEntry[] = [];
    let i = 0;
    const c = object.content;
    while (i < c.length) {
      const space = c.indexOf(0x20, i);
      const nul = c.indexOf(0, space);
      entries.push({ mode: c.subarray(i, space).toString(), name: c.subarray(space + 1, nul).toString(), sha: c.subarray(nul + 1, nul + 21).toString('hex') });
      i = nul + 21;
    }
    return entries;
  }

  putCommit(commit: CommitObject): string {
    const person = (p: CommitObject['author']) => `${p.name} <${p.email}> ${Math.floor(Date.parse(p.date) / 1000)} +0000`;
    const text = [`tree ${commit.tree}`, ...commit.parents.map((p) => `parent ${p}`), `author ${person(commit.author)}`, `committer ${person(commit.committer)}`, '', commit.message].join('\n');
    return this.put('commit', Buffer.from(text));
  }

  readCommit(sha: string): CommitObject | undefined {
    const object = this.get(sha, 'commit');
    if (!object) return undefined;
    const text = object.content.toString();
    const split = text.indexOf('\n\n');
    const headers = text.slice(0, split).split('\n');
    const person = (line: string | undefined) => {
      const m = /^\S+ (.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line ?? '');
      return { name: m?.[1] ?? '', email: m?.[2] ?? '', date: new Date(Number(m?.[3] ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    };
    return {
      tree: headers.find((h) => h.startsWith('tree '))!.slice(5),
      parents: headers.filter((h) => h.startsWith('parent ')).map((h) => h.slice(7)),
      author: person(headers.find((h) => h.startsWith('author '))),
      committer: person(headers.find((h) => h.startsWith('committer '))),
      message: text.slice(split + 2),
    };
  }

  /** Every file of a tree: path → { mode, sha }. */
  flatten(treeSha: string, prefix = ''): Map<string, { mode: string; sha: string }> {
    const out = new Map<string, { mode: string; sha: string }>();
    for (const e of this.readTree(treeSha) ?? []) {
      const p = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.mode === '40000') for (const [k, v] of this.flatten(e.sha, p)) out.set(k, v);
      else out.set(p, { mode: e.mode, sha: e.sha });
    }
    return out;
  }

  /** A tree from a flat path → { mode, sha } map. */
  buildTree(files: Map<string, { mode: string; sha: string }>): string {
    const root = new Map<string, unknown>();
    for (const [p, entry] of files) {
      const parts = p.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        if (!dir.has(part)) dir.set(part, new Map());
        dir = dir.get(part) as Map<string, unknown>;
      }
      dir.set(parts.at(-1)!, entry);
    }
    const write = (dir: Map<string, unknown>): string =>
      this.putTree([...dir].map(([name, v]) => (v instanceof Map ? { mode: '40000', name, sha: write(v as Map<string, unknown>) } : { name, ...(v as { mode: string; sha: string }) })));
    return write(root);
  }

  /** Imports every object of a local repository; returns its branches (name → sha). */
  async importRepository(dir: string): Promise<Map<string, string>> {
    const { stdout } = await run('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: dir, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
    let i = 0;
    while (i < stdout.length) {
      const nl = stdout.indexOf(0x0a, i);
      const [, type, size] = stdout.subarray(i, nl).toString().split(' ');
      const content = Buffer.from(stdout.subarray(nl + 1, nl + 1 + Number(size)));
      if (type === 'blob' || type === 'tree' || type === 'commit') this.put(type, content);
      i = nl + 1 + Number(size) + 1;
    }
    const refs = await run('git', ['for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads'], { cwd: dir });
    return new Map(refs.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
  }
}
