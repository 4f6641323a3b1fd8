// Validation: every candidate patch, whatever made it (a template, the model), is judged by the same
// gates in the same order, cheap to expensive, and the first gate it fails ends it (readme.md).
// The workspace is back at its pre-patch state when a verdict is returned, whatever happened, so
// the next candidate starts where this one did: what the patch wrote is restored, and so is what
// the test runs wrote (workspace-reset.ts), against the state recorded when the validator was made.
import type { Candidate, CandidateCounts } from '../../../schemas/run.ts';
import { crashFunctions, gate, gateRuns } from '../../reproduce/gates.ts';
import type { MatchOptions } from '../../reproduce/signature.ts';
import { classifyTarget } from '../../reproduce/test-target.ts';
import { runTests } from '../../runners/run-tests.ts';
import { instrument } from '../../telemetry.ts';
import { normalizeWorkspacePath } from '../../workspace/path-policy.ts';
import { checkSuppression } from '../guards/index.ts';
import type { ProposedPatch, ValidateFn, ValidationContext } from '../types.ts';
import { clip, errorMessage, nameSome, oneLine } from './clip.ts';
import { CHECK_COMMANDS, runCheckCommand } from './commands.ts';
import { checkPatchPaths, checkPatchSize, fileChanges, patchDiff, type Check, type FileChange } from './policy.ts';
import { describeObservation, reproExecution } from './repro-run.ts';
import { judgeSuite } from './suite.ts';
import { applyChanges, missingDirs, readOriginals, restoreChanges } from './workspace-files.ts';
import { recordWorkspace, resetWorkspace, type ResetResult, type WorkspaceRecord } from './workspace-reset.ts';

type Verdict = { status: 'validated' } | { status: 'rejected' | 'error'; reason: string };

/** What one validation accumulates; read by the bookkeeping after the checks, whatever their end. */
interface State {
  checks: Check[];
  changes: FileChange[];
  /** Files written into the workspace and not yet restored. */
  touched: Set<string>;
  /** Directories the patch's new files needed, removed with them. */
  createdDirs: string[];
  preexisting?: string[];
  /** The workspace as the validator recorded it, once past the paths check (when there is one). */
  record?: WorkspaceRecord | undefined;
  /** The reset before the patch (what ran since the last candidate) and after its runs. */
  resets: { before?: ResetResult; after?: ResetResult };
  /** Something was written or run with the patch in place: the runs' side effects are reset. */
  applied: boolean;
  /** The numbers behind the reproduction and suite checks. */
  counts: CandidateCounts;
}

// The crash file's function index is the same for every candidate (it is read with the
// originals in place): built once per context.
const functionIndexes = new WeakMap<ValidationContext, Promise<MatchOptions['functionAt']>>();

function crashFunctionsOnce(ctx: ValidationContext, workspaceFiles: readonly string[]): Promise<MatchOptions['functionAt']> {
  let index = functionIndexes.get(ctx);
  if (!index) {
    index = crashFunctions(ctx.sandbox, ctx.repoConfig, ctx.reproduction.signature, workspaceFiles);
    // A failure is not cached: the next candidate tries again.
    index.catch(() => functionIndexes.delete(ctx));
    functionIndexes.set(ctx, index);
  }
  return index;
}

// The workspace every candidate starts from, recorded once per context. Without one (a workspace
// that is no git checkout, as some test setups are; a sandbox already dead) candidates are
// validated as before, restoring only what the patch wrote.
const workspaceRecords = new WeakMap<ValidationContext, Promise<WorkspaceRecord | undefined>>();

function workspaceRecordOnce(ctx: ValidationContext): Promise<WorkspaceRecord | undefined> {
  let record = workspaceRecords.get(ctx);
  if (!record) {
    record = recordWorkspace(ctx.sandbox).catch((error: unknown) => {
      ctx.log?.warn({ err: errorMessage(error) }, 'Cannot record the workspace: side effects of test runs are not reset between candidates');
      return undefined;
    });
    workspaceRecords.set(ctx, record);
  }
  return record;
}

export function createValidator(ctx: ValidationContext): ValidateFn {
  // Recorded now, before an engine runs anything in the sandbox (its execs queue behind the diff).
  void workspaceRecordOnce(ctx);
  return (patch) => validateCandidate(ctx, patch);
}

export async function validateCandidate(ctx: ValidationContext, patch: ProposedPatch): Promise<Candidate> {
  return instrument('repair.validate', { 'tracefix.candidate': patch.id, 'tracefix.engine': patch.engine }, async () => {
    const started = performance.now();
    const state: State = { checks: [], changes: [], touched: new Set(), createdDirs: [], resets: {}, applied: false, counts: {} };
    let verdict: Verdict;
    try {
      verdict = await runChecks(ctx, patch, state);
    } catch (error) {
      // Infrastructure, not the patch: the sandbox died, a report could not be read.
      verdict = { status: 'error', reason: clip(oneLine(errorMessage(error))) };
    }
    try {
      await restoreChanges(ctx.sandbox, state.changes, state.touched, state.createdDirs);
    } catch (error) {
      // The first infrastructure failure is the reason (a dead sandbox cannot restore either).
      ctx.log?.warn({ candidate: patch.id, err: errorMessage(error) }, 'Cannot restore the workspace after a candidate');
      if (verdict.status !== 'error') verdict = { status: 'error', reason: clip(`cannot restore the workspace after the patch: ${oneLine(errorMessage(error))}`) };
    }
    if (state.applied && state.record) {
      try {
        state.resets.after = await resetWorkspace(ctx.sandbox, state.record);
      } catch (error) {
        ctx.log?.warn({ candidate: patch.id, err: errorMessage(error) }, 'Cannot reset the workspace after a candidate');
        if (verdict.status !== 'error') verdict = { status: 'error', reason: clip(`cannot reset the workspace after the test runs: ${oneLine(errorMessage(error))}`) };
      }
    }
    noteResets(ctx, patch.id, state);
    const { diff, stats } = patchDiff(state.changes);
    const line = patch.location?.line;
    const candidate: Candidate = {
      id: patch.id.slice(0, 128),
      engine: patch.engine,
      description: clip(patch.description, 1024),
      ...(patch.location ? { location: { file: clip(patch.location.file, 1024), ...(line && Number.isInteger(line) && line > 0 ? { line } : {}) } } : {}),
      diff,
      stats,
      status: verdict.status,
      ...(verdict.status === 'validated' ? {} : { reason: verdict.reason }),
      checks: state.checks,
      ...(state.preexisting ? { preexistingFailures: state.preexisting.map((id) => id.slice(0, 4096)) } : {}),
      durationMs: Math.round(performance.now() - started),
      ...(state.counts.suite || state.counts.reproduction ? { counts: state.counts } : {}),
    };
    ctx.log?.info(
      { candidate: candidate.id, status: candidate.status, reason: candidate.reason, checks: state.checks.length, durationMs: candidate.durationMs },
      'Validated a candidate',
    );
    return candidate;
  });
}

async function runChecks(ctx: ValidationContext, patch: ProposedPatch, state: State): Promise<Verdict> {
  const { sandbox, repoConfig: config, reproduction, baseline } = ctx;
  const failed = (check: Check): Verdict => ({ status: 'rejected', reason: clip(check.detail ?? `${check.name} failed`, 4096) });
  const record = (check: Check): boolean => {
    state.checks.push({ ...check, ...(check.detail !== undefined ? { detail: clip(check.detail, 4096) } : {}) });
    return check.ok;
  };

  // paths: decided from the names alone.
  const paths = checkPatchPaths({ repoConfig: config, files: patch.files.keys(), trackedFiles: ctx.trackedFiles, reproTestFile: reproduction.testFile });
  if (!record(paths.check)) return failed(paths.check);
  const files = new Map<string, string>();
  for (const [file, content] of patch.files) files.set(normalizeWorkspacePath(file) ?? file, content);

  // The recorded workspace before anything is read: what ran since the last candidate (the
  // agent's own test runs, a reset that could not finish) must not become this patch's originals.
  state.record = await workspaceRecordOnce(ctx);
  if (state.record) state.resets.before = await resetWorkspace(sandbox, state.record);

  // size: needs the originals (read through the sandbox, nothing written yet).
  const read = await readOriginals(sandbox, [...files.keys()]);
  if (!read.ok) {
    const check: Check = { name: 'apply', ok: false, detail: read.detail };
    record(check);
    return failed(check);
  }
  state.changes = fileChanges(read.originals, files);
  const size = checkPatchSize(config, state.changes);
  if (!record(size)) return failed(size);

  // suppression: the crash site's function before and after.
  const suppression = await suppressionCheck(ctx, state.changes);
  if (!record(suppression)) return failed(suppression);

  // apply
  state.applied = true;
  state.createdDirs = await missingDirs(sandbox, state.changes);
  const applied = await applyChanges(sandbox, state.changes, state.touched);
  const apply: Check = applied.ok ? { name: 'apply', ok: true, detail: `wrote ${state.changes.map((c) => c.file).join(', ')}` } : { name: 'apply', ok: false, detail: applied.detail };
  if (!record(apply)) return failed(apply);

  // reproduction: the test that failed N of N runs now passes N of N.
  const workspaceFiles = [...new Set([...ctx.trackedFiles, ...(reproduction.testFile ? [reproduction.testFile] : []), ...state.changes.map((c) => c.file)])];
  const runs = gateRuns(config);
  const execute = reproExecution({ sandbox, config, reproduction, workspaceFiles, env: ctx.env });
  // A CI reproduction given as a shell command has no id to look for: its exit code is the verdict.
  const byCommand = reproduction.source === 'existing-test' && classifyTarget(reproduction.testId, config, workspaceFiles).kind === 'command';
  const passedAll = byCommand ? `the reproduction command passed (exit 0) in ${runs} of ${runs} runs` : `the reproduction test ${reproduction.testId} was in the results and passed in ${runs} of ${runs} runs`;
  let repro: Check = { name: 'reproduction', ok: true, detail: passedAll };
  const tally = { testId: reproduction.testId.slice(0, 4096), runs: 0, executed: 0, passed: 0 };
  state.counts.reproduction = tally;
  for (let i = 1; i <= runs; i++) {
    const exec = await execute();
    tally.runs++;
    // Every run must show the test itself: a run whose report lacks its id proves nothing.
    const ran = exec.status !== 'missing' && exec.status !== 'timeout' && exec.observation.kind !== 'missing';
    if (ran) tally.executed++;
    if (ran && exec.observation.kind === 'passed') {
      tally.passed++;
      continue;
    }
    const flaky = i > 1 ? `flaky: passed ${i - 1} of ${i} runs, then ` : '';
    const what = ran || exec.observation.kind !== 'passed' ? describeObservation(exec.observation) : `was not in the results (${reproduction.testId})`;
    repro = { name: 'reproduction', ok: false, detail: `the reproduction test ${flaky}${what} (run ${i} of ${runs})` };
    break;
  }
  if (!record(repro)) return failed(repro);

  // suite: the whole suite against the baseline.
  const results = await runTests(sandbox, config, ctx.env ? { env: ctx.env } : {});
  const suite = judgeSuite(baseline, results);
  state.preexisting = suite.preexisting;
  if (suite.counts) state.counts.suite = suite.counts;
  if (!record(suite.check)) return failed(suite.check);

  // sensitivity: without the patch, the test fails the incident's way again.
  await restoreChanges(sandbox, state.changes, state.touched, state.createdDirs);
  const sensitivity = await sensitivityCheck(ctx, workspaceFiles.filter((f) => !state.changes.some((c) => c.file === f && c.before === undefined)));
  if (!record(sensitivity)) return failed(sensitivity);

  // typecheck / lint, with the patch back in place.
  const commands = CHECK_COMMANDS.filter((name) => config[name]);
  if (commands.length === 0) return { status: 'validated' };
  const again = await applyChanges(sandbox, state.changes, state.touched);
  if (!again.ok) throw new Error(`cannot re-apply the patch after the sensitivity check: ${again.detail}`);
  for (const name of commands) {
    const outcome = await runCheckCommand(sandbox, config, name, ctx.env);
    if (!outcome) continue;
    const before = baseline[name];
    let check: Check;
    if (outcome.ok) check = { name, ok: true, detail: `\`${config[name]}\` passed` };
    else if (before && !before.ok) check = { name, ok: true, detail: 'also failed before the patch' };
    else check = { name, ok: false, detail: `\`${config[name]}\` fails with the patch: ${outcome.output}` };
    if (!record(check)) return failed(check);
  }
  return { status: 'validated' };
}

/** Says on the last check what the resets put back (the record has no field of its own for it),
 * and logs it; a file that could not be put back is a warning: the next candidate starts with it. */
function noteResets(ctx: ValidationContext, candidate: string, state: State): void {
  const phases: string[] = [];
  const failed = new Map<string, string>();
  for (const [when, reset] of [['before the patch', state.resets.before], ['after the runs', state.resets.after]] as const) {
    if (!reset) continue;
    for (const [path, why] of reset.failed) failed.set(path, why);
    const what = [reset.restored.length > 0 ? `restored ${nameSome(reset.restored)}` : '', reset.removed.length > 0 ? `removed ${nameSome(reset.removed)}` : ''].filter(Boolean);
    if (what.length > 0) phases.push(`${when}: ${what.join('; ')}`);
  }
  if (phases.length === 0 && failed.size === 0) return;
  const parts = phases.length > 0 ? [`workspace reset ${phases.join('; ')}`] : [];
  if (failed.size > 0) parts.push(`could not reset ${nameSome([...failed].map(([path, why]) => `${path} (${why})`))}`);
  const note = clip(parts.join('; '), 1500);
  const last = state.checks.at(-1);
  if (last) last.detail = last.detail ? `${clip(last.detail, 4096 - note.length - 1)}\n${note}` : note;
  const lists = (reset: ResetResult | undefined) => (reset ? { restored: reset.restored, removed: reset.removed } : undefined);
  const data = { candidate, before: lists(state.resets.before), after: lists(state.resets.after), failed: Object.fromEntries(failed) };
  if (failed.size > 0) ctx.log?.warn(data, 'Cannot reset some workspace files after a candidate');
  else ctx.log?.info(data, 'Reset workspace files around a candidate');
}

async function suppressionCheck(ctx: ValidationContext, changes: readonly FileChange[]): Promise<Check> {
  const site = ctx.crashSite;
  if (!site) return { name: 'suppression', ok: true, detail: 'not judged: the crash frame does not map into the workspace' };
  const where = `${site.file}:${site.line}${site.function ? ` (${site.function})` : ''}`;
  if (!changes.some((c) => c.file === site.file)) return { name: 'suppression', ok: true, detail: `the crash file ${site.file} is not changed` };
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  for (const c of changes) {
    if (c.before !== undefined) before.set(c.file, c.before);
    after.set(c.file, c.after);
  }
  const verdict = await checkSuppression({ before, after, crashSite: site, exec: ctx.sandbox.exec.bind(ctx.sandbox) });
  return verdict.suppressed
    ? { name: 'suppression', ok: false, detail: `symptom suppression at ${where}: ${verdict.reason}` }
    : { name: 'suppression', ok: true, detail: `no suppression of the crash site ${where}` };
}

async function sensitivityCheck(ctx: ValidationContext, workspaceFiles: readonly string[]): Promise<Check> {
  const { signature } = ctx.reproduction;
  const functionAt = await crashFunctionsOnce(ctx, workspaceFiles);
  const execute = reproExecution({ sandbox: ctx.sandbox, config: ctx.repoConfig, reproduction: ctx.reproduction, workspaceFiles, env: ctx.env });
  const verdict = await gate(signature, execute, 1, { ...(functionAt ? { functionAt } : {}), ...(ctx.log ? { log: ctx.log } : {}) });
  const frame = signature.frame ? ` at ${signature.frame.file}${signature.frame.function ? `:${signature.frame.function}` : ''}` : '';
  return verdict.passed
    ? { name: 'sensitivity', ok: true, detail: `with the patch reverted, the test fails again with the incident's signature (${signature.type}${frame})` }
    : { name: 'sensitivity', ok: false, detail: `with the patch reverted, the test no longer fails with the incident's signature: ${clip(oneLine(verdict.reason), 1500)}` };
}
