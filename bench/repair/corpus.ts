// The repair benchmark's corpus format (README.md beside this file describes it for humans):
//   <corpus>/<bug id>/meta.json       what the bug is and how its tests run
//   <corpus>/<bug id>/incident.json   how the failure is known: a visible failing test, or a bundle
//   <corpus>/<bug id>/repo/           the buggy repository with its visible tests
//   <corpus>/<bug id>/ground-truth/   hidden tests, copied over a copy of repo/ only to grade a patch
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const Argv = z.array(z.string().min(1)).min(1);

export const BugMeta = z.object({
  id: z.string().regex(/^[\w.-]+$/),
  language: z.enum(['python', 'node', 'typescript']),
  /** The benchmark's own classification, e.g. HumanEvalFix's "value misuse". */
  bugType: z.string(),
  failureSymptoms: z.string().optional(),
  source: z.object({ name: z.string(), task: z.string(), license: z.string().optional(), url: z.string().optional() }),
  /** Repo-relative files a repair may edit (the buggy code). */
  files: z.array(z.string().min(1)).min(1),
  /** The buggy function, when known: localization without frames ranks its lines. */
  function: z.string().optional(),
  tests: z.object({
    /** The repo's visible suite; a plausible patch makes it pass. Run in repo/. */
    visible: Argv,
    /** The hidden tests; run in a copy of repo/ with ground-truth/ copied over it. */
    groundTruth: Argv,
  }),
  /** Per-command wall-clock limit; a run past it counts as a failure (infinite-loop bugs). */
  timeoutMs: z.number().int().positive().default(10_000),
  notes: z.array(z.string()).default([]),
});
export type BugMeta = z.infer<typeof BugMeta>;

export const Incident = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('visible-failing-test'),
    /** A name for the failing test, as a runner would report it. */
    testId: z.string(),
    /** Runs that test alone (in repo/); it fails on the buggy code. */
    command: Argv,
  }),
  z.object({
    kind: z.literal('bundle'),
    /** A bundle per schemas/bundle.ts (examples/); its repro gives the failing test. */
    bundle: z.unknown(),
  }),
]);
export type Incident = z.infer<typeof Incident>;

export interface Bug {
  dir: string;
  meta: BugMeta;
  incident: Incident;
  repoDir: string;
  groundTruthDir: string;
}

export async function loadBug(dir: string): Promise<Bug> {
  const meta = BugMeta.parse(JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8')));
  const incident = Incident.parse(JSON.parse(await readFile(path.join(dir, 'incident.json'), 'utf8')));
  return { dir, meta, incident, repoDir: path.join(dir, 'repo'), groundTruthDir: path.join(dir, 'ground-truth') };
}

/** Every bug folder (one holding meta.json) directly under `corpus`, sorted by id. */
export async function loadCorpus(corpus: string): Promise<Bug[]> {
  const entries = await readdir(corpus, { withFileTypes: true });
  const bugs: Bug[] = [];
  for (const e of entries) {
    const dir = path.join(corpus, e.name);
    // A bug folder may be a symlink to one kept elsewhere: follow it (a broken link is skipped).
    if (!e.isDirectory() && !(e.isSymbolicLink() && (await stat(dir).then((s) => s.isDirectory()).catch(() => false)))) continue;
    const files = await readdir(dir);
    if (files.includes('meta.json')) bugs.push(await loadBug(dir));
  }
  return bugs.sort((a, b) => a.meta.id.localeCompare(b.meta.id, 'en', { numeric: true }));
}

export interface BugFiles {
  meta: z.input<typeof BugMeta>;
  incident: Incident;
  /** Repo-relative path → content (bytes for binary files: a service's vendored wheels). */
  repo: Record<string, string | Buffer>;
  groundTruth: Record<string, string>;
}

async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
}

/** Writes one bug folder (validating meta and incident on the way). */
export async function writeBug(corpus: string, bug: BugFiles): Promise<string> {
  const meta = BugMeta.parse(bug.meta);
  const dir = path.join(corpus, meta.id);
  await mkdir(path.join(dir, 'ground-truth'), { recursive: true });
  await writeFile(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  await writeFile(path.join(dir, 'incident.json'), JSON.stringify(Incident.parse(bug.incident), null, 2) + '\n');
  await writeTree(path.join(dir, 'repo'), bug.repo);
  await writeTree(path.join(dir, 'ground-truth'), bug.groundTruth);
  return dir;
}
