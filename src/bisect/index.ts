// The bisect stage: after the fix is found, which commit introduced the failure. The reproduction
// (which failed with the incident's signature at the incident's commit) is run against the
// first-parent history between a good end and that commit, halving the range each step. The good
// end is the newest release that reported other failures but never this one (production says it
// was good), else the commit `bisect.maxDepth` back when the reproduction passes there. Bounded by
// `bisect.timeoutMs`: a step still running when the budget ends is left to finish on its own and
// the result says what range was left. It never throws: a bisect that cannot run says why.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import { REPO_CONFIG_DEFAULTS } from '../../schemas/repo-config.ts';
import type { Bisect, BisectStep, Reproduction } from '../../schemas/run.ts';
import type { Config } from '../config.ts';
import { instrument, type Logger } from '../telemetry.ts';
import { defaultGitEnv, git } from '../workspace/git.ts';
import type { RepoSource } from '../workspace/index.ts';
import { readHistory, releaseGoodEnd, type History } from './history.ts';
import { probeCommit, type ReproTest } from './probe.ts';
import { search, stepBound, type ProbeResult } from './search.ts';
import { TimeoutError, withTimeout } from '../timeout.ts';

export { stepBound } from './search.ts';

/** How far back a release seen in production may be and still serve as the good end. */
const RELEASE_SEARCH_DEPTH = 1024;

export interface BisectInput {
  config: Config;
  repo: RepoSource;
  /** The incident's commit, where the reproduction failed. */
  commit: string | undefined;
  reproduction: Reproduction;
  /** The repository's config at the incident's commit (its `bisect` settings). */
  repoConfig: RepoConfig;
  runId: string;
  driver: 'docker' | 'local';
  /** Environment of every test run (the incident's TZ). */
  env?: Record<string, string>;
  /** Commits of releases seen in alerts of other incidents and never with this fingerprint. */
  goodReleases?: readonly { commit: string; release: string }[];
  /** Injectable for tests. */
  now?: () => number;
  log?: Logger;
  progress?: (message: string) => void;
}

export function bisectSettings(repoConfig: RepoConfig): { enabled: boolean; maxDepth: number; timeoutMs: number } {
  return repoConfig.bisect ?? { enabled: true, ...REPO_CONFIG_DEFAULTS.bisect };
}

const notRun = (reason: string, started: number, now: () => number): Bisect => ({ status: 'not-run', reason, steps: [], durationMs: now() - started });

async function testAtIncident(history: History, reproduction: Extract<Reproduction, { status: 'reproduced' }>): Promise<ReproTest | string> {
  if (!reproduction.testFile) return 'the reproduction is a command, not a test file that can be carried to older commits';
  let content = reproduction.testContent;
  if (content === undefined) {
    const g = git(history.mirrorDir, { baseEnv: defaultGitEnv(), env: { GIT_DIR: history.mirrorDir } });
    content = await g.raw(['show', `${history.bad}:${reproduction.testFile}`]).catch(() => undefined);
    if (content === undefined) return `the test file ${reproduction.testFile} is not in the incident's commit`;
  }
  return { testFile: reproduction.testFile, testId: reproduction.testId, content, signature: reproduction.signature };
}

export async function bisectIntroduction(input: BisectInput): Promise<Bisect> {
  const now = input.now ?? Date.now;
  const started = now();
  const settings = bisectSettings(input.repoConfig);
  if (!settings.enabled) return notRun('bisect is off (bisect: false in .tracefix.yml)', started, now);
  if (!input.commit) return notRun('the incident names no commit to bisect from', started, now);
  const reproduction = input.reproduction;
  if (reproduction.status !== 'reproduced') return notRun('there is no reproduction to bisect with', started, now);
  return instrument('bisect', { 'tracefix.run_id': input.runId }, async () => {
    try {
      return await runBisect(input, reproduction, settings, started, now);
    } catch (error) {
      input.log?.warn({ err: error }, 'Bisect failed');
      return notRun(`bisect failed: ${(error instanceof Error ? error.message : String(error)).slice(0, 1500)}`, started, now);
    }
  });
}

async function runBisect(
  input: BisectInput,
  reproduction: Extract<Reproduction, { status: 'reproduced' }>,
  settings: { maxDepth: number; timeoutMs: number },
  started: number,
  now: () => number,
): Promise<Bisect> {
  const { log } = input;
  const progress = input.progress ?? (() => undefined);
  const deadline = started + settings.timeoutMs;
  const releases = input.goodReleases ?? [];
  const depth = releases.length > 0 ? Math.max(settings.maxDepth, RELEASE_SEARCH_DEPTH) : settings.maxDepth;
  const history = await readHistory({ dataDir: input.config.dataDir, repo: input.repo, bad: input.commit as string, depth, ...(log ? { log } : {}) });
  const test = await testAtIncident(history, reproduction);
  if (typeof test === 'string') return notRun(test, started, now);
  if (history.chain.length < 2) return notRun('the incident\'s commit has no parent to compare with', started, now);

  const fromRelease = releaseGoodEnd(history.chain, releases);
  const goodIndex = fromRelease?.index ?? Math.min(settings.maxDepth, history.chain.length - 1);
  const good = { sha: history.chain[goodIndex] as string, source: fromRelease ? ('release' as const) : ('depth' as const), ...(fromRelease ? { release: fromRelease.release.slice(0, 256) } : {}) };
  const steps: BisectStep[] = [];
  const base: Pick<Bisect, 'bad' | 'good' | 'rangeSize' | 'stepBound'> = { bad: history.bad, good, rangeSize: goodIndex, stepBound: stepBound(goodIndex) };
  const finish = (rest: Partial<Bisect> & Pick<Bisect, 'status'>): Bisect => ({ ...base, ...rest, steps, durationMs: now() - started });

  const probe = async (sha: string, role: BisectStep['role']): Promise<ProbeResult | 'out-of-time'> => {
    const timeLeftMs = deadline - now();
    if (timeLeftMs <= 0) return 'out-of-time';
    const t0 = now();
    progress(`bisect: testing ${sha.slice(0, 12)} (${role})`);
    const running = probeCommit({ config: input.config, repo: input.repo, runId: `${input.runId}-bisect-${steps.length + 1}`, commit: sha, test, driver: input.driver, env: input.env ?? {}, timeLeftMs, ...(log ? { log } : {}) }).catch(
      (error: unknown): ProbeResult => ({ verdict: 'skip', reason: `could not run: ${(error instanceof Error ? error.message : String(error)).slice(0, 1500)}` }),
    );
    const result = await withTimeout(running, timeLeftMs, 'bisect step').catch((error: unknown) => {
      if (error instanceof TimeoutError) return 'out-of-time' as const;
      throw error;
    });
    steps.push({ sha, role, ...(result === 'out-of-time' ? { verdict: 'skip', reason: 'cut off: the time budget ran out' } : result), durationMs: Math.max(0, now() - t0) });
    return result;
  };

  // The good end is checked like any step: a release that never reported the failure may still
  // carry the bug on a path production did not take.
  const end = await probe(good.sha, 'endpoint');
  if (end === 'out-of-time') return finish({ status: 'exhausted', reason: `the time budget (${settings.timeoutMs} ms) ran out checking the good end`, candidates: history.chain.slice(0, Math.min(goodIndex, 128)) });
  if (end.verdict === 'bad') {
    const where = fromRelease ? `release ${fromRelease.release}` : `${goodIndex} first-parent commits back (bisect.maxDepth)`;
    return finish({ status: 'predates-range', reason: `the reproduction already fails with the incident's signature at ${good.sha.slice(0, 12)}, ${where}: the failure is older than the searched range` });
  }
  // A release production ran without this failure stays the good end even where the test cannot run.
  let goodAt = goodIndex;
  let badAt = 0;
  if (end.verdict === 'skip' && !fromRelease) {
    // The test cannot run that far back (what it calls did not exist yet, most often): look for the
    // oldest commit where it runs, halving between the unrunnable end and the nearest known bad.
    const found = await runnableGoodEnd(history.chain, goodIndex, (sha) => probe(sha, 'endpoint'));
    if (found === 'out-of-time') return finish({ status: 'exhausted', reason: `the time budget (${settings.timeoutMs} ms) ran out looking for a commit where the reproduction runs and passes` });
    if (found.good === undefined) {
      const first = history.chain[found.bad] as string;
      return finish({
        status: 'inconclusive',
        reason: `no good end: the reproduction cannot run before ${first.slice(0, 12)} and fails with the incident's signature there, so the failure is as old as the code it calls`,
        candidates: [first],
      });
    }
    goodAt = found.good;
    badAt = found.bad;
    Object.assign(base, { good: { sha: history.chain[goodAt] as string, source: 'depth' }, rangeSize: goodAt, stepBound: stepBound(goodAt) });
  }

  const at = (k: number) => history.chain[goodAt - k] as string;
  const outcome = await search({ n: goodAt - badAt, outOfTime: () => now() >= deadline, probe: (k) => probe(at(k), 'bisect') });
  const shas = (ks: number[]) => ks.map(at).reverse().slice(0, 128);
  if (outcome.status === 'found') {
    const firstBad = await history.describe(at(outcome.index));
    progress(`bisect: introduced by ${firstBad.sha.slice(0, 12)} ${firstBad.subject}`);
    return finish({ status: 'found', firstBad });
  }
  if (outcome.status === 'inconclusive') {
    return finish({ status: 'inconclusive', reason: `the reproduction could not run at the commits left between the last good and the first bad one: any of ${outcome.candidates.length} commits may have introduced the failure`, candidates: shas(outcome.candidates) });
  }
  return finish({ status: 'exhausted', reason: `the time budget (${settings.timeoutMs} ms) ran out with ${outcome.candidates.length} candidate commits left`, candidates: shas(outcome.candidates) });
}

/**
 * Chain indices grow older. Between `skipAt` (the test cannot run) and `badAt` (it fails with the
 * signature), halve: skip → the runnable part is newer; bad → look older; good → a good end.
 */
async function runnableGoodEnd(
  chain: readonly string[],
  skipAt: number,
  probe: (sha: string) => Promise<ProbeResult | 'out-of-time'>,
): Promise<{ good?: number; bad: number } | 'out-of-time'> {
  let unrunnable = skipAt;
  let bad = 0;
  while (unrunnable - bad > 1) {
    const mid = Math.floor((unrunnable + bad) / 2);
    const result = await probe(chain[mid] as string);
    if (result === 'out-of-time') return result;
    if (result.verdict === 'good') return { good: mid, bad };
    if (result.verdict === 'bad') bad = mid;
    else unrunnable = mid;
  }
  return { bad };
}
