// Shared by the template tests: generate candidates for one file, pick one, check that its diff
// applies with git, and run the patched code (Node for JS/TS, python3 for Python).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCandidates } from '../../../src/repair/templates/engine.ts';
import { hostExec } from '../../../src/repair/templates/python.ts';
import type { TemplateCandidate, Language, TemplateName } from '../../../src/repair/templates/types.ts';

export async function candidatesAt(file: string, content: string, lines: number[], language: Language = 'node'): Promise<TemplateCandidate[]> {
  return generateCandidates({
    files: new Map([[file, content]]),
    ranking: lines.map((line, i) => ({ file, line, score: 1 - i * 0.1, reasons: ['test'] })),
    language,
    budget: { maxCandidates: 1000, maxLocations: 50 },
    exec: hostExec,
  });
}

/** The one candidate of `template` whose description matches `description`. */
export function pick(cands: readonly TemplateCandidate[], template: TemplateName, description: RegExp): TemplateCandidate {
  const found = cands.filter((c) => c.template === template && description.test(c.description));
  assert.ok(found.length > 0, `no ${template} candidate matching ${description}; got:\n${cands.map((c) => `  ${c.template}: ${c.description}`).join('\n')}`);
  return found[0]!;
}

export function patched(c: TemplateCandidate): string {
  const content = c.newContent.get(c.file);
  assert.ok(content !== undefined);
  return content;
}

/** Changed lines of a unified diff: removed ('-') and added ('+'), headers excluded. */
export function changedLines(diff: string): { removed: string[]; added: string[] } {
  const body = diff.split('\n').filter((l) => !l.startsWith('---') && !l.startsWith('+++'));
  return { removed: body.filter((l) => l.startsWith('-')).map((l) => l.slice(1)), added: body.filter((l) => l.startsWith('+')).map((l) => l.slice(1)) };
}

/** `git apply --check` of the candidate's diff against the original file, and the result equals newContent. */
export function assertDiffApplies(c: TemplateCandidate, original: string): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracefix-diff-'));
  try {
    const target = path.join(dir, c.file);
    execFileSync('mkdir', ['-p', path.dirname(target)]);
    writeFileSync(target, original);
    writeFileSync(path.join(dir, 'patch.diff'), c.diff);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['apply', 'patch.diff'], { cwd: dir });
    assert.equal(execFileSync('cat', [target], { encoding: 'utf8' }), patched(c));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runIn(file: string, source: string, argv: (dir: string) => string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracefix-run-'));
  try {
    writeFileSync(path.join(dir, file), source);
    const [cmd, ...args] = argv(dir);
    const r = spawnSync(cmd!, args, { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { PATH: process.env['PATH'], PYTHONDONTWRITEBYTECODE: '1' } });
    if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
    return r.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `expression` against a CommonJS/ESM-less JS (or TS, by type stripping) module whose
 * source is `source` and returns the printed JSON of its value (awaited).
 */
export function runJs(source: string, expression: string, ext = 'js'): unknown {
  const file = `mod.${ext === 'ts' ? 'mts' : 'cjs'}`;
  const program = `${source}\n;(async () => { process.stdout.write(JSON.stringify(await (${expression}))) })().catch((e) => { console.error(String(e)); process.exit(3) });\n`;
  const out = runIn(file, program, () => [process.execPath, file]);
  return out === '' ? undefined : (JSON.parse(out) as unknown);
}

/** Imports `source` as module `mod` in python3 and prints `expression` as JSON. */
export function runPython(source: string, expression: string): unknown {
  const script = `import asyncio, json, mod\nv = ${expression}\nif asyncio.iscoroutine(v):\n    v = asyncio.run(v)\nprint(json.dumps(v))\n`;
  return JSON.parse(runIn('mod.py', source, () => ['python3', '-c', script])) as unknown;
}

/** True when running `expression` throws (or exits non-zero). */
export function throwsJs(source: string, expression: string, ext = 'js'): boolean {
  try {
    runJs(source, expression, ext);
    return false;
  } catch {
    return true;
  }
}

export function throwsPython(source: string, expression: string): boolean {
  try {
    runPython(source, expression);
    return false;
  } catch {
    return true;
  }
}
