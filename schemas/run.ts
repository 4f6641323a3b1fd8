// The run record: one attempt to repair one incident, written as `result.json` by the CLI and kept
// in the database by the service. It says how the run ended (fixed | not-reproduced | not-fixed,
// with the reason) and carries the evidence for every step, so a reviewer can check the claim
// without re-running anything: the reproduction with every attempt and gate run, the localization
// ranking with its reasons, each candidate patch with its validation checks, and the proposal.
// Stages fill their own section; a section a run never reached is null (or []).
import { z } from 'zod';
import { AlertSource, COMMIT_SHA } from './alert.ts';
import { Framework, TestStatus } from './test-results.ts';

export const RUN_VERSION = 1;

const text = (max: number) => z.string().max(max);
const count = z.number().int().nonnegative();
const line = z.number().int().positive();

// ---------------------------------------------------------------------------------------------
// Signature: what a reproduction must show.

export const SignatureFrame = z.object({
  /** Workspace-relative path when the production path maps into the workspace, else the
   * normalized production path (normalizeFramePath). */
  file: text(1024),
  /** Function name as normalizeFunction prints it; '' when the source had none. */
  function: text(512),
  /** Informational only: the line is never compared (it moves with unrelated edits). */
  line: line.optional(),
});
export type SignatureFrame = z.infer<typeof SignatureFrame>;

export const Signature = z.object({
  /** Error class, unqualified (`KeyError`, not `builtins.KeyError`). */
  type: text(512),
  message: text(8192),
  /** normalizeMessage(message): numbers, ids and quoted literals masked. */
  normalizedMessage: text(8192),
  /** The top in-app frame (the crash site as the project sees it); null without frames. */
  frame: SignatureFrame.nullable(),
});
export type Signature = z.infer<typeof Signature>;

// ---------------------------------------------------------------------------------------------
// Reproduction.

/** What one run of a candidate test showed, and whether it carries the signature. */
export const GateRun = z.object({
  /** Test status; `missing` when the report did not list the test, `timeout` when it was killed. */
  status: z.union([TestStatus, z.enum(['missing', 'timeout'])]),
  match: z.boolean(),
  /** Why it does not match (`different exception TypeError vs RangeError`, `test passed`…). */
  reason: text(2048).optional(),
  observed: z
    .object({ type: text(512).optional(), message: text(8192).optional(), frame: SignatureFrame.nullable().optional() })
    .optional(),
  durationMs: z.number().nonnegative(),
});
export type GateRun = z.infer<typeof GateRun>;

/** Where a synthesized test's argument came from. */
export const ArgumentSource = z.object({
  name: text(256),
  /** `type-boundary` and `test-fixture` are only ever searched values (see `searched`). */
  source: z.enum(['locals', 'caller-locals', 'request', 'route', 'span', 'default', 'stub', 'type-boundary', 'test-fixture']),
  /** `frame 0 local "cart"`, `request body field "items"`, `span attribute app.order_id`. */
  detail: text(512).optional(),
  /** The value had a truncation marker: production's value was longer than what we replay. */
  truncated: z.boolean().optional(),
  /** Not recorded for this parameter: a value the input search tried (a request value under
   * another name, a caller's local, a boundary of its type, a value the repository's tests pass)
   * that made the test fail with the incident's signature N of N times. A guess, said so. */
  searched: z.boolean().optional(),
});
export type ArgumentSource = z.infer<typeof ArgumentSource>;

export const ReproAttempt = z.object({
  /** 1-based, in the order tried. */
  n: z.number().int().positive(),
  /** frame-call: call a production frame's function with its rebuilt inputs; existing-test: a
   * test the incident came with (CI); agent: a test written by the LLM agent. */
  strategy: z.enum(['frame-call', 'existing-test', 'agent']),
  /** The frame whose function the test calls (index into bundle.exception.frames). */
  frame: z.object({ index: count, file: text(1024), function: text(512), line: line.optional() }).optional(),
  /** `skipped`: no test could be written for this frame (not exported, inputs missing…). */
  outcome: z.enum(['reproduced', 'rejected', 'skipped']),
  reason: text(4096).optional(),
  testFile: text(1024).optional(),
  testId: text(4096).optional(),
  arguments: z.array(ArgumentSource).optional(),
  runs: z.array(GateRun),
});
export type ReproAttempt = z.infer<typeof ReproAttempt>;

export const Reproduced = z.object({
  status: z.literal('reproduced'),
  source: z.enum(['synthesized', 'existing-test', 'agent']),
  framework: Framework,
  /** Workspace-relative path of the test file (for an existing test given as a command, absent). */
  testFile: text(1024).optional(),
  /** Runner test id; for a command-based CI reproduction, the command. */
  testId: text(4096),
  /** The synthesized file's content (absent for existing tests). */
  testContent: text(262_144).optional(),
  signature: Signature,
  /** Gate runs that all failed with the signature (N of N). */
  runs: z.number().int().positive(),
  attempts: z.array(ReproAttempt),
});

export type Reproduced = z.infer<typeof Reproduced>;

export const NotReproduced = z.object({
  status: z.literal('not-reproduced'),
  reason: text(4096),
  /** Null when the bundle has no exception to sign (no type or frames). */
  signature: Signature.nullable(),
  attempts: z.array(ReproAttempt),
});

export const Reproduction = z.discriminatedUnion('status', [Reproduced, NotReproduced]);
export type Reproduction = z.infer<typeof Reproduction>;

// ---------------------------------------------------------------------------------------------
// Localization.

export const SuspiciousLocation = z.object({
  /** Workspace-relative. */
  file: text(1024),
  line,
  function: text(512).optional(),
  /** Combined score in [0, 1]; the ranking is by score, then frame depth, file, line. */
  score: z.number().min(0).max(1),
  /** Human-readable, for the PR body and the model's prompt. */
  reasons: z.array(text(512)),
  /** From the stack: index in bundle.exception.frames and the frame's weight (1 = crash frame). */
  frame: z.object({ index: count, weight: z.number().min(0).max(1) }).optional(),
  /** From the spectrum: Ochiai and its counts (failing/passing tests that ran / did not run it). */
  spectrum: z.object({ ochiai: z.number().min(0).max(1), ef: count, ep: count, nf: count, np: count }).optional(),
});
export type SuspiciousLocation = z.infer<typeof SuspiciousLocation>;

export const Localization = z.object({
  ranking: z.array(SuspiciousLocation),
  weights: z.object({ frames: z.number().min(0), spectrum: z.number().min(0) }),
  spectrum: z.object({
    failingTests: z.array(text(4096)),
    passingTests: count,
    /** Distinct (file, line) pairs executed by any test. */
    coveredLines: count,
    /** Why coverage is partial or absent (a test without coverage, a capped suite…). */
    problems: z.array(text(2048)),
  }),
});
export type Localization = z.infer<typeof Localization>;

// ---------------------------------------------------------------------------------------------
// Candidates and proposal (the repair stage fills these; shapes fixed here so the record is one
// contract).

/** A candidate against what the changed function's own text says it should do (src/repair/intent/). */
export const IntentJudgement = z.object({
  /** implied (the doc names it) > consistent (other returns return it) > no-value > silent (a
   * guess) > disagrees > contradicts (rejected: e.g. the doc's 0.0 returned as 0, input discarded
   * whose format the doc names). */
  agreement: z.enum(['implied', 'consistent', 'no-value', 'silent', 'disagrees', 'contradicts']),
  reasons: z.array(text(512)),
  /** The values the patch introduces, as written. */
  values: z.array(text(256)),
});
export type IntentJudgement = z.infer<typeof IntentJudgement>;

/** How sure tracefix is of a proposal, and why (src/repair/intent/index.ts confidenceOf). */
export const Confidence = z.object({
  /** high: implied by the contract and behaviour shown preserved; low: a value was guessed or the
   * contract disagrees; medium otherwise. `publish.minConfidence` compares against it. */
  level: z.enum(['high', 'medium', 'low']),
  reasons: z.array(text(512)),
});
export type Confidence = z.infer<typeof Confidence>;

/** The patched function against the original on many inputs (src/repair/preserve/). */
export const Preservation = z.object({
  function: text(512),
  inputs: count,
  /** Same result (or same exception type) before and after. */
  unchanged: count,
  /** The original failed with the incident's exception type: the failing input class. */
  failing: count,
  /** The original returned and the patch did something else. */
  changedOutside: count,
  /** The original failed with another exception and the patch differs. */
  otherErrors: count.optional(),
  sources: z.object({ production: count, tests: count, generated: count }).optional(),
  examples: z.array(text(512)),
  /** The comparison could not run (import error, timeout): nothing is claimed. */
  error: text(1024).optional(),
  /** The function's doc examples (doctest `>>> f(x)` / `f(x) // => y`) run on the patch. */
  docExamples: z.object({ checked: count, contradicted: z.array(text(512)) }).optional(),
});
export type Preservation = z.infer<typeof Preservation>;

export const ValidationCheck = z.object({
  name: z.enum(['reproduction', 'suite', 'paths', 'size', 'suppression', 'sensitivity', 'typecheck', 'lint', 'apply', 'contract', 'preservation']),
  ok: z.boolean(),
  detail: text(4096).optional(),
});

/** The counts behind a claim about a test run, so "the suite passes" can be checked to mean something. */
export const TestCounts = z.object({
  /** Tests the runner reported (collected). */
  collected: count,
  /** Collected and not skipped. */
  run: count,
  passed: count,
  /** Failed or errored. */
  failed: count,
  skipped: count,
});
export type TestCounts = z.infer<typeof TestCounts>;

/** How a candidate's test runs went, in numbers. */
export const CandidateCounts = z.object({
  /** The full suite with the patch. */
  suite: TestCounts.optional(),
  /** The reproduction gate: runs made, and in how many the reproduction test's id was in the report and passed. */
  reproduction: z.object({ testId: text(4096), runs: count, executed: count, passed: count }).optional(),
});
export type CandidateCounts = z.infer<typeof CandidateCounts>;

export const Candidate = z.object({
  id: text(128),
  engine: z.enum(['templates', 'llm']),
  /** Template name (templates engine) or a short description (llm). */
  description: text(1024),
  location: z.object({ file: text(1024), line: line.optional() }).optional(),
  diff: text(262_144),
  stats: z.object({ files: count, added: count, removed: count }),
  status: z.enum(['validated', 'rejected', 'error']),
  reason: text(4096).optional(),
  checks: z.array(ValidationCheck),
  /** Tests that already failed before the patch: reported, not blamed on it. */
  preexistingFailures: z.array(text(4096)).optional(),
  durationMs: z.number().nonnegative(),
  counts: CandidateCounts.optional(),
  /** The patch against the changed function's contract (doc, types, other returns). */
  intent: IntentJudgement.optional(),
  /** The behaviour preservation gate's comparison, when it ran. */
  preservation: Preservation.optional(),
});
export type Candidate = z.infer<typeof Candidate>;

export const Proposal = z.object({
  candidateId: text(128),
  title: text(256),
  body: text(65_536),
  diff: text(262_144),
  testFile: text(1024).optional(),
  testContent: text(262_144).optional(),
  /** Other validated candidates, best first. */
  alternatives: z.array(text(128)),
  /** How sure, with the reasons (also in the body). */
  confidence: Confidence.optional(),
});
export type Proposal = z.infer<typeof Proposal>;

// ---------------------------------------------------------------------------------------------
// Bisect: which commit introduced the failure (src/bisect/), run after the fix is found.

const SHA40 = z.string().regex(/^[0-9a-f]{40}$/);

export const BisectCommit = z.object({
  sha: SHA40,
  subject: text(1024),
  author: text(512),
  /** Author date, ISO 8601. */
  date: text(64),
});
export type BisectCommit = z.infer<typeof BisectCommit>;

export const BisectStep = z.object({
  sha: SHA40,
  /** `endpoint`: the check that the good end is good; `bisect`: a step of the search. */
  role: z.enum(['endpoint', 'bisect']),
  /** bad: failed with the incident's signature; good: passed; skip: could not tell (the test did
   * not run, did not load, or failed another way). */
  verdict: z.enum(['good', 'bad', 'skip']),
  reason: text(2048).optional(),
  durationMs: z.number().nonnegative(),
});
export type BisectStep = z.infer<typeof BisectStep>;

export const Bisect = z.object({
  /**
   * found: `firstBad` is the first first-parent commit that fails with the signature;
   * predates-range: the test fails with the signature even at the good end searched;
   * inconclusive: skipped commits leave several candidates (`candidates`);
   * exhausted: the time budget ran out (`candidates` is what was left);
   * not-run: bisect is off, or there is nothing to bisect (with the reason).
   */
  status: z.enum(['found', 'predates-range', 'inconclusive', 'exhausted', 'not-run']),
  reason: text(2048).optional(),
  /** The incident's commit: the reproduction failed there. */
  bad: SHA40.optional(),
  /** The good end and where it came from: a release seen without this fingerprint, or depth. */
  good: z.object({ sha: SHA40, source: z.enum(['release', 'depth']), release: text(256).optional() }).optional(),
  firstBad: BisectCommit.optional(),
  /** First-parent commits between good (exclusive) and bad (inclusive) that may be the first bad. */
  candidates: z.array(SHA40).max(128).optional(),
  /** Commits in the searched range (good exclusive, bad inclusive). */
  rangeSize: count.optional(),
  /** ⌈log2(rangeSize)⌉: the steps a search without skips needs. */
  stepBound: count.optional(),
  steps: z.array(BisectStep),
  durationMs: z.number().nonnegative(),
});
export type Bisect = z.infer<typeof Bisect>;

// ---------------------------------------------------------------------------------------------
// The run.

/** Which framework ran the repository's tests, why, and what the suite counted before any patch. */
export const TestingRecord = z.object({
  framework: Framework,
  /** The base test command. */
  command: text(4096),
  /** "pytest: 3 test files with module-level test functions, no config", or the .tracefix.yml key that set it. */
  detection: text(2048),
  /** The full suite before any patch (the reproduction test in place). */
  baseline: TestCounts.optional(),
});
export type TestingRecord = z.infer<typeof TestingRecord>;

export const RunStatus = z.enum(['fixed', 'not-reproduced', 'not-fixed']);
export type RunStatus = z.infer<typeof RunStatus>;

export const Run = z
  .object({
    version: z.literal(RUN_VERSION),
    id: text(128),
    incident: z.object({ id: text(128), fingerprint: text(128).optional(), source: AlertSource }),
    bundleSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    repo: z.object({
      url: text(2048).optional(),
      commit: z.string().regex(COMMIT_SHA).optional(),
      /** Set when the incident named no commit: `commit unknown; repaired at HEAD of <branch>`. */
      note: text(512).optional(),
    }),
    engine: z.enum(['templates', 'llm']).optional(),
    sandbox: z.object({ driver: z.enum(['docker', 'local']) }).optional(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().optional(),
    status: RunStatus,
    /** Required unless fixed: the one sentence a person reads first. */
    reason: text(4096).optional(),
    reproduction: Reproduction.nullable(),
    localization: Localization.nullable(),
    candidates: z.array(Candidate),
    proposal: Proposal.nullable(),
    /** Which commit introduced the failure (absent when bisect did not run). */
    bisect: Bisect.optional(),
    /** The test framework and the counts behind the suite's claims. */
    tests: TestingRecord.optional(),
  })
  .superRefine((run, ctx) => {
    if (run.status !== 'fixed' && !run.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: `a ${run.status} run needs a reason` });
    if (run.status === 'fixed') {
      if (!run.proposal) ctx.addIssue({ code: 'custom', path: ['proposal'], message: 'a fixed run needs a proposal' });
      else if (!run.candidates.some((c) => c.id === run.proposal?.candidateId && c.status === 'validated')) {
        ctx.addIssue({ code: 'custom', path: ['proposal', 'candidateId'], message: 'the proposal must name a validated candidate' });
      }
      if (run.reproduction?.status !== 'reproduced') ctx.addIssue({ code: 'custom', path: ['reproduction'], message: 'a fixed run needs a reproduction' });
    }
    if (run.status === 'not-reproduced' && run.reproduction?.status === 'reproduced') {
      ctx.addIssue({ code: 'custom', path: ['status'], message: 'the reproduction succeeded: the run cannot be not-reproduced' });
    }
  })
  .meta({ title: 'tracefix run', description: 'One attempt to repair one incident: result, reproduction, localization, candidates, proposal.' });
export type Run = z.infer<typeof Run>;

/** Contracts that schemas/generate.ts writes as `<name>.schema.json`. */
export const CONTRACTS = { run: Run } as const;
