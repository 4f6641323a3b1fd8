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
  source: z.enum(['locals', 'caller-locals', 'request', 'route', 'span', 'default', 'stub']),
  /** `frame 0 local "cart"`, `request body field "items"`, `span attribute app.order_id`. */
  detail: text(512).optional(),
  /** The value had a truncation marker: production's value was longer than what we replay. */
  truncated: z.boolean().optional(),
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

export const ValidationCheck = z.object({
  name: z.enum(['reproduction', 'suite', 'paths', 'size', 'suppression', 'sensitivity', 'typecheck', 'lint', 'apply']),
  ok: z.boolean(),
  detail: text(4096).optional(),
});

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
});
export type Proposal = z.infer<typeof Proposal>;

// ---------------------------------------------------------------------------------------------
// The run.

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
