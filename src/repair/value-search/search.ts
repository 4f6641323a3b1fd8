// The value search (issue 18, wrong-output bugs; Angelix/Nopol-style): at the top-ranked sites
// (conditions, returned and assigned expressions), replace the expression by a probe and run the
// failing test with candidate values until it passes (the angelic values), run the suite once to
// record what the expression gives where the tests already pass, then synthesize expressions over
// the in-scope values that give both. Each becomes an ordinary template candidate (`value-search`):
// the validation gates judge it like any other. Bounded by time and test runs.
import { z } from 'zod';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Reproduced } from '../../../schemas/run.ts';
import { isTestPath } from '../../reproduce/synthesize/naming.ts';
import { runTests } from '../../runners/run-tests.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import type { Logger } from '../../telemetry.ts';
import { languageOf, selectLocations } from '../templates/engine.ts';
import { runPythonHelper } from '../templates/python.ts';
import type { Language, RankedLocation, RawCandidate } from '../templates/types.ts';
import { reproExecution } from '../validate/repro-run.ts';
import { instrument, LOG_FILE, OVERRIDE_FILE, PROBE_DIR } from './probe.ts';
import { jsSites } from './sites-js.ts';
import { synthesize, type Example, type Value } from './synthesize.ts';
import { assertionNumbers, trialsFor } from './trials.ts';
import type { Evaluation, Override, ProbeSite } from './types.ts';

export interface ValueSearchInput {
  sandbox: Sandbox;
  repoConfig: RepoConfig;
  reproduction: Reproduced;
  trackedFiles: readonly string[];
  /** Workspace-relative path → the ranked file's content (the originals). */
  files: ReadonlyMap<string, string>;
  ranking: readonly RankedLocation[];
  language: Language;
  /** Numbers of the failing assertion, the expected value first (trials.ts assertionNumbers). */
  expected: readonly number[];
  env?: Record<string, string>;
  /** Stop starting test runs after this long. @defaultValue 120 s */
  timeMs?: number;
  /** Sites searched at most. @defaultValue 6 */
  maxSites?: number;
  /** Locations of the ranking looked at. @defaultValue 5 */
  maxLocations?: number;
  log?: Logger;
  progress?: (message: string) => void;
}

export interface ValueSearchResult {
  /** Candidates in search order (best site first, smallest expression first). */
  raws: RawCandidate[];
  /** What was searched where, one line per site, for the engine's stop reason and the log. */
  notes: string[];
  /** Test runs made (failing test runs plus suite runs). */
  runs: number;
}

const EvaluationLine = z.object({
  i: z.number(),
  v: z.record(z.string(), z.unknown()),
  k: z.string().optional(),
  o: z.union([z.number(), z.boolean(), z.null()]),
  r: z.union([z.number(), z.boolean(), z.null()]),
  e: z.literal(1).optional(),
});

function parseLog(text: string): Evaluation[] {
  const out: Evaluation[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = EvaluationLine.safeParse(JSON.parse(line));
      if (parsed.success) out.push(parsed.data as Evaluation);
    } catch {
      // A line cut by a killed process: the others still count.
    }
  }
  return out;
}

const PythonSites = z.object({
  sites: z.array(z.object({ line: z.number().int(), start: z.number().int().min(0), end: z.number().int().min(0), kind: z.enum(['condition', 'value']), text: z.string(), constants: z.array(z.number()) })),
});

async function sitesOf(input: ValueSearchInput, locations: readonly RankedLocation[]): Promise<ProbeSite[]> {
  const sites: ProbeSite[] = [];
  for (const loc of locations) {
    const text = input.files.get(loc.file);
    // Tests are what the search runs, never what it patches (the paths gate rejects that anyway).
    if (text === undefined || loc.file === input.reproduction.testFile || isTestPath(input.repoConfig, loc.file)) continue;
    if (languageOf(loc.file, input.language) === 'js') sites.push(...jsSites(loc.file, text, loc.line));
    else {
      const answer = PythonSites.parse(await runPythonHelper(input.sandbox.exec.bind(input.sandbox), { mode: 'sites', source: text, lines: [loc.line] }));
      sites.push(...answer.sites.map((s) => ({ ...s, file: loc.file })));
    }
  }
  const seen = new Set<string>();
  return sites.filter((s) => {
    const k = `${s.file}:${s.start}:${s.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const envKey = (v: Record<string, unknown>) => JSON.stringify(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The angelic evaluations plus the passing tests' original ones (where their state differs). */
export function examplesOf(angelic: readonly Evaluation[], failingKeys: ReadonlySet<string>, passing: readonly Evaluation[]): Example[] | undefined {
  const byKey = new Map<string, Value>();
  for (const e of angelic) {
    if (e.r === null) return undefined;
    const k = envKey(e.v);
    // The same state wanting two values: no expression over these values can give both.
    if (byKey.has(k) && byKey.get(k) !== e.r) return undefined;
    byKey.set(k, e.r);
  }
  const examples: Example[] = angelic.map((e) => ({ env: e.v, out: e.r as Value }));
  const added = new Set<string>();
  for (const e of passing) {
    const k = envKey(e.v);
    if (e.o === null || e.e || failingKeys.has(k) || byKey.has(k) || added.has(k)) continue;
    added.add(k);
    examples.push({ env: e.v, out: e.o });
  }
  return examples;
}

const show = (o: Override): string => {
  switch (o.kind) {
    case 'none':
      return 'the original value';
    case 'all':
      return `${String(o.value)} on every evaluation`;
    case 'at':
      return `${String(o.value)} on evaluation ${o.index + 1}`;
    case 'from':
      return `${String(o.value)} from evaluation ${o.index + 1} on`;
    case 'flip-at':
      return `the opposite on evaluation ${o.index + 1}`;
    case 'negate':
      return 'the opposite on every evaluation';
    case 'delta':
      return `the original ${o.delta > 0 ? '+' : '-'} ${Math.abs(o.delta)}`;
    case 'by-state':
      return `each failing assertion's expected value in turn (${Object.values(o.values).map(String).slice(0, 4).join(', ')})`;
  }
};

export async function searchValues(input: ValueSearchInput): Promise<ValueSearchResult> {
  const { sandbox, repoConfig: config, reproduction, log } = input;
  const deadline = performance.now() + (input.timeMs ?? 120_000);
  const code = input.ranking.filter((l) => l.file !== reproduction.testFile && !isTestPath(input.repoConfig, l.file));
  const locations = selectLocations(code, input.maxLocations ?? 5);
  const sites = (await sitesOf(input, locations)).slice(0, input.maxSites ?? 6);
  const workspaceFiles = [...new Set([...input.trackedFiles, ...(reproduction.testFile ? [reproduction.testFile] : [])])];
  const execute = reproExecution({ sandbox, config, reproduction, workspaceFiles, env: input.env });
  const raws: RawCandidate[] = [];
  const notes: string[] = [];
  let runs = 0;
  const readLog = async () => parseLog(await sandbox.readFile(LOG_FILE).catch(() => ''));
  const runFailing = async (override: Override): Promise<{ passed: boolean; evaluations: Evaluation[]; message: string }> => {
    await sandbox.writeFile(OVERRIDE_FILE, JSON.stringify(override));
    await sandbox.writeFile(LOG_FILE, '');
    runs++;
    const exec = await execute();
    const o = exec.observation;
    return { passed: o.kind === 'passed', evaluations: await readLog(), message: o.kind === 'failed' ? o.message : '' };
  };
  /**
   * A test of several assertions (`assert f(1) == 2; assert f(3) == 5`): the state the site was in
   * last before the failing assertion must give its expected value (every evaluation in that state:
   * a message may call the function again); set it, run again, and the test fails further on, at
   * the next assertion, until it passes or stops progressing.
   */
  const assertionByAssertion = async (first: { evaluations: Evaluation[]; message: string }): Promise<{ override: Override; evaluations: Evaluation[] } | undefined> => {
    const values: Record<string, Value> = {};
    let current = first;
    for (let step = 0; step < 8 && performance.now() < deadline; step++) {
      const expected = assertionNumbers(current.message)[0];
      const state = current.evaluations.at(-1)?.k;
      // No progress (the same state fails again): this site's value is not what the test checks.
      if (expected === undefined || state === undefined || values[state] !== undefined) return undefined;
      values[state] = expected;
      const override: Override = { kind: 'by-state', values: { ...values } };
      const trial = await runFailing(override);
      if (trial.passed && trial.evaluations.length > 0) return { override, evaluations: trial.evaluations };
      current = trial;
    }
    return undefined;
  };
  try {
    for (const site of sites) {
      if (performance.now() >= deadline) {
        notes.push(`${site.file}:${site.line}: not searched (time budget)`);
        continue;
      }
      const original = input.files.get(site.file)!;
      const language = languageOf(site.file, input.language);
      const where = `${site.file}:${site.line} \`${site.text.length > 60 ? `${site.text.slice(0, 59)}…` : site.text}\``;
      let angelic: { override: Override; evaluations: Evaluation[] } | undefined;
      let recorded: Evaluation[] = [];
      let passing: Evaluation[] = [];
      try {
        await sandbox.writeFile(site.file, instrument(original, site, language));
        const base = await runFailing({ kind: 'none' });
        recorded = base.evaluations;
        if (base.passed || recorded.length === 0) {
          notes.push(`${where}: ${base.passed ? 'the failing test passes with the probe in place' : 'not evaluated by the failing test'}`);
          continue;
        }
        for (const override of trialsFor(site.kind, recorded, input.expected)) {
          if (performance.now() >= deadline) break;
          const trial = await runFailing(override);
          if (trial.passed && trial.evaluations.length > 0) {
            angelic = { override, evaluations: trial.evaluations };
            break;
          }
        }
        if (!angelic && site.kind === 'value' && recorded.every((e) => typeof e.o === 'number')) angelic = await assertionByAssertion(base);
        if (!angelic) {
          notes.push(`${where}: no value tried made the failing test pass`);
          continue;
        }
        // What the expression gives where the suite already passes: the synthesized one must agree.
        await sandbox.writeFile(OVERRIDE_FILE, JSON.stringify({ kind: 'none' }));
        await sandbox.writeFile(LOG_FILE, '');
        runs++;
        await runTests(sandbox, config, input.env ? { env: input.env } : {});
        passing = await readLog();
      } finally {
        await sandbox.writeFile(site.file, original);
      }
      const failingKeys = new Set([...recorded, ...angelic.evaluations].map((e) => envKey(e.v)));
      const examples = examplesOf(angelic.evaluations, failingKeys, passing);
      if (!examples) {
        notes.push(`${where}: the angelic values (${show(angelic.override)}) contradict each other`);
        continue;
      }
      const fromPassing = examples.length - angelic.evaluations.length;
      const exprs = synthesize({ examples, constants: site.constants, language, original: site.text });
      const values = [...new Set(angelic.evaluations.map((e) => String(e.r)))].slice(0, 4).join(', ');
      notes.push(`${where}: the failing test passes with ${show(angelic.override)}; ${exprs.length} expression(s) fit ${examples.length} evaluation(s)`);
      log?.info({ site: where, override: angelic.override, examples: examples.length, expressions: exprs }, 'Value search at a site');
      for (const expr of exprs) {
        raws.push({
          template: 'value-search',
          file: site.file,
          line: site.line,
          description: `\`${site.text}\` → \`${expr}\`: synthesized from a value search (the failing test passed when it gave ${values}, i.e. ${show(angelic.override)}; the expression gives those values on the failing test's ${angelic.evaluations.length} evaluation(s) and keeps the original value on ${fromPassing} evaluation(s) of the passing tests)`,
          edits: [{ start: site.start, end: site.end, text: expr }],
        });
      }
      input.progress?.(`value search at ${where}: ${show(angelic.override)} passes; ${exprs.length} expression(s) synthesized`);
    }
  } finally {
    await sandbox.exec(['rm', '-rf', PROBE_DIR], { timeoutMs: 10_000 }).catch((error: unknown) => log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'Cannot remove the value-search probe directory'));
  }
  return { raws, notes, runs };
}
