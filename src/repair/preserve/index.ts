// The behaviour preservation gate, whatever engine made the candidate: the patched function and
// the original, side by side in the sandbox, on production's recorded values, the argument lists
// the repository's tests pass to it and fast-check inputs shaped like them (inputs.ts). Where the
// original returned, the patch must return the same; where the original failed with the
// incident's exception type (the failing input class), the patch may differ. A change outside
// that class rejects the candidate unless the function's contract implies the change, which is
// then stated. One sandbox exec per candidate.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle } from '../../../schemas/bundle.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Preservation } from '../../../schemas/run.ts';
import { isTestPath } from '../../reproduce/synthesize/naming.ts';
import { PYTHON_ENV } from '../../runners/python-scripts.ts';
import { pythonInterpreter } from '../../runners/shell.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { contractOf } from '../intent/contract.ts';
import { functionAt } from '../intent/function-source.ts';
import { unifiedDiff } from '../templates/unified-diff.ts';
import { generatedInputs, productionInputs, testInputs } from './inputs.ts';

const PY_SOURCE = readFileSync(new URL('./compare.py', import.meta.url), 'utf8');
const NODE_SOURCE = readFileSync(new URL('./compare.mjs', import.meta.url), 'utf8');
const SOURCE = /\.(py|[cm]?[jt]sx?)$/;

export interface PreserveInput {
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  trackedFiles: readonly string[];
  bundle: Bundle;
  /** The incident's exception type: the original failing with it is the failing input class. */
  failureType: string;
  files: ReadonlyMap<string, string>;
  originals: ReadonlyMap<string, string | undefined>;
}

type Outcome = [kind: 'ok' | 'raise', text: string];

function firstChange(before: string, after: string, file: string): number | undefined {
  const h = /^@@ -(\d+)/m.exec(unifiedDiff(file, before, after, 0));
  return h ? Math.max(1, Number(h[1])) : undefined;
}

/** The comparison, or undefined when there is no single changed function to compare. */
export async function preserve(input: PreserveInput): Promise<Preservation | undefined> {
  const { sandbox, repoConfig, trackedFiles } = input;
  const changed = [...input.files].filter(([f]) => SOURCE.test(f) && input.originals.get(f) !== undefined);
  if (changed.length !== 1) return undefined;
  const [file, after] = changed[0] as [string, string];
  const before = input.originals.get(file) as string;
  const line = firstChange(before, after, file);
  const fn = line ? functionAt(before, file, line) : undefined;
  const patchedFn = line ? functionAt(after, file, line) : undefined;
  if (!fn || fn.name === '(anonymous)' || patchedFn?.name !== fn.name) return undefined;
  const language = file.endsWith('.py') ? 'python' : 'js';
  const tests: { file: string; text: string }[] = [];
  for (const t of trackedFiles.filter((f) => isTestPath(repoConfig, f)).slice(0, 40)) {
    const text = await sandbox.readFile(t).catch(() => undefined);
    if (text !== undefined) tests.push({ file: t, text });
  }
  const production = productionInputs(input.bundle, fn.name, fn.params, language);
  const fromTests = testInputs(tests, fn.name, language);
  const generated = generatedInputs(fn.params, [...production, ...fromTests]);
  const inputs = [...production, ...fromTests, ...generated];
  const dir = path.posix.dirname(file);
  const base = path.posix.basename(file);
  const prefix = language === 'python' ? '_tracefix_preserve_' : '.tracefix-preserve-';
  const at = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  const original = at(`${prefix}orig_${base}`);
  const patched = at(`${prefix}patched_${base}`);
  const specFile = '.tracefix-preserve-spec.json';
  const script = '.tracefix-preserve-compare.mjs';
  const hasInit = (d: string) => trackedFiles.includes(`${d}/__init__.py`);
  const packageDir = language === 'python' && dir !== '.' && hasInit(dir) ? dir : '';
  const roots = packageDir.startsWith('src/') && !hasInit('src') ? ['src'] : [];
  const pkg = (roots.length ? packageDir.slice(4) : packageDir).split('/').filter(Boolean).join('.');
  const written = [original, patched, specFile, ...(language === 'js' ? [script] : [])];
  try {
    await sandbox.writeFile(original, before);
    await sandbox.writeFile(patched, after);
    const docExamples = contractOf(fn).examples;
    await sandbox.writeFile(specFile, JSON.stringify({ original, patched, function: fn.name, inputs, package: pkg, roots, examples: docExamples }));
    let r;
    if (language === 'python') {
      r = await sandbox.exec([pythonInterpreter(repoConfig.test.command), '-c', PY_SOURCE, specFile], { env: { ...PYTHON_ENV }, timeoutMs: 60_000 });
    } else {
      await sandbox.writeFile(script, NODE_SOURCE);
      r = await sandbox.exec(['node', script, specFile], { timeoutMs: 60_000 });
    }
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    let parsed: { results?: [Outcome, Outcome][]; examples?: [boolean, boolean][]; error?: string };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      return { function: fn.name, inputs: 0, unchanged: 0, failing: 0, changedOutside: 0, examples: [], error: `the comparison did not finish (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(-300)}` };
    }
    if (parsed.error || !parsed.results) return { function: fn.name, inputs: 0, unchanged: 0, failing: 0, changedOutside: 0, examples: [], error: (parsed.error ?? 'no results').slice(0, 500) };
    let unchanged = 0;
    let failing = 0;
    let otherErrors = 0;
    const examples: string[] = [];
    parsed.results.forEach(([b, a], i) => {
      if (b[0] === 'raise' && b[1] === input.failureType) failing++;
      else if (b[0] === a[0] && b[1] === a[1]) unchanged++;
      else if (b[0] === 'raise') otherErrors++;
      else if (examples.length < 3) examples.push(`${fn.name}(${JSON.stringify(inputs[i]).slice(1, -1).slice(0, 150)}): ${b[1].slice(0, 80)} before, ${a[0] === 'raise' ? `raises ${a[1]}` : a[1].slice(0, 80)} after`);
    });
    const changedOutside = parsed.results.length - unchanged - failing - otherErrors;
    // An example the original satisfied and the patch does not: the patch contradicts the doc.
    const contradicted = (parsed.examples ?? []).flatMap(([b, a], i) => (b && !a ? [`${docExamples[i]?.call} should be ${docExamples[i]?.expected}`.slice(0, 500)] : []));
    return {
      function: fn.name,
      inputs: parsed.results.length,
      unchanged,
      failing,
      changedOutside,
      ...(otherErrors ? { otherErrors } : {}),
      sources: { production: production.length, tests: fromTests.length, generated: generated.length },
      examples,
      ...(docExamples.length ? { docExamples: { checked: (parsed.examples ?? []).length, contradicted } } : {}),
    };
  } finally {
    for (const f of written) await sandbox.exec(['rm', '-f', '--', f], { timeoutMs: 30_000 }).catch(() => undefined);
  }
}

/** "behaviour unchanged on N inputs; changed only where production failed", or what differs. */
export function describePreservation(p: Preservation): string {
  if (p.error) return `behaviour not compared: ${p.error}`;
  const from = p.sources ? ` (${p.sources.production} recorded in production, ${p.sources.tests} from the repository's tests, ${p.sources.generated} generated)` : '';
  if (p.changedOutside === 0) return `behaviour unchanged on ${p.unchanged} inputs${from}; changed only where production failed (${p.failing} input(s) of the failing class)`;
  return `behaviour changed on ${p.changedOutside} of ${p.inputs} inputs where the original did not fail${from}: ${p.examples.join('; ')}`;
}
