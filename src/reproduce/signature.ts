// The signature gate's two halves: what production showed (from the bundle) and whether a test
// run shows the same: the same error type, the same message once numbers, ids and quoted literals
// are masked (normalizeMessage, shared with the fingerprint), and the same top in-app frame (file
// and function; the line may differ). A failure that differs in any of these is another bug, or
// the right bug reached the wrong way, and does not count as a reproduction.
import type { Frame } from '../../schemas/alert.ts';
import type { Bundle, BundleFrame } from '../../schemas/bundle.ts';
import type { Signature, SignatureFrame } from '../../schemas/run.ts';
import { normalizeFramePath, normalizeFunction, normalizeMessage, topInAppFrame } from '../evidence/fingerprint.ts';
import { parseStackText } from '../evidence/stack-text.ts';
import { bareType } from './failure-text.ts';
import { mapToWorkspace, samePath } from './workspace-paths.ts';

export type { Signature, SignatureFrame };

/** What a test run showed, reduced to what the gate compares. */
export type Observation =
  | { kind: 'passed' }
  | { kind: 'skipped' }
  | { kind: 'missing'; detail?: string }
  | { kind: 'timeout'; detail?: string }
  /** The test file (or what it imports) failed to load: the test body never ran. */
  | { kind: 'import-error'; type?: string; message: string }
  | { kind: 'failed'; type?: string; message: string; frame: SignatureFrame | null };

export type SignatureMatch = { match: true } | { match: false; reason: string };

/** The workspace file of a frame (absPath carries more segments, so it is tried first), else
 * the host-independent normalized path. */
export function frameFile(frame: Pick<Frame, 'file' | 'absPath'>, workspaceFiles: readonly string[]): string {
  for (const p of [frame.absPath, frame.file]) {
    const mapped = p ? mapToWorkspace(p, workspaceFiles) : undefined;
    if (mapped) return mapped;
  }
  return normalizeFramePath(frame);
}

export function signatureFrame(frame: Frame | BundleFrame | undefined, workspaceFiles: readonly string[]): SignatureFrame | null {
  if (!frame) return null;
  return {
    file: frameFile(frame, workspaceFiles),
    function: normalizeFunction(frame.function),
    ...(frame.line ? { line: frame.line } : {}),
  };
}

export function makeSignature(input: { type: string; message: string; frame: SignatureFrame | null }): Signature {
  return {
    type: bareType(input.type) ?? input.type,
    message: input.message,
    normalizedMessage: normalizeMessage(input.message),
    frame: input.frame,
  };
}

/** The incident's signature. Frames come innermost first in a bundle; a bundle with only a raw
 * stack (OTLP) has it parsed here. */
export function signatureFromBundle(bundle: Bundle, workspaceFiles: readonly string[]): Signature {
  const ex = bundle.exception;
  let frame: SignatureFrame | null = null;
  if (ex.frames.length > 0) {
    const top = ex.frames[ex.topInAppFrame >= 0 ? ex.topInAppFrame : 0];
    frame = signatureFrame(top, workspaceFiles);
  } else if (ex.rawStack) {
    frame = signatureFrame(topInAppFrame(parseStackText(ex.rawStack).at(-1)?.frames ?? []), workspaceFiles);
  }
  return makeSignature({ type: ex.type, message: ex.message, frame });
}

/** Function names as sources print them: `Object.total`, `Cart.total`, `exports.total` and
 * Python qualnames all end with the function's own name, which is what is compared. */
export function sameFunction(expected: string, observed: string): boolean {
  const a = normalizeFunction(expected);
  const b = normalizeFunction(observed);
  if (a === b) return true;
  const last = (s: string) => s.split('.').at(-1) ?? s;
  return a !== '' && b !== '' && last(a) === last(b) && last(a) !== '<anonymous>';
}

/** Sentry cuts long messages and the assembler marks the cut (`…[+N chars]`): compare the kept part. */
function sameMessage(expected: string, observed: string): boolean {
  const e = normalizeMessage(expected);
  const o = normalizeMessage(observed);
  if (e === o) return true;
  const cut = /…\s*\[\+<num> chars\]$/.exec(e);
  return cut !== null && o.startsWith(e.slice(0, cut.index).trimEnd());
}

const IMPORT_TYPES = new Set(['ImportError', 'ModuleNotFoundError']);

function show(frame: SignatureFrame | null): string {
  return frame ? `${frame.file}${frame.function ? `:${frame.function}` : ''}` : 'no in-app frame';
}

function clip(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export interface MatchOptions {
  /** The function around a line of a workspace file, to identify the observed crash frame by
   * where it is when the printed name differs (see function-index.ts). */
  functionAt?: (file: string, line: number) => string | undefined;
}

export function matchSignature(expected: Signature, observed: Observation, options: MatchOptions = {}): SignatureMatch {
  switch (observed.kind) {
    case 'passed':
      return { match: false, reason: 'test passed' };
    case 'skipped':
      return { match: false, reason: 'test skipped' };
    case 'missing':
      return { match: false, reason: `test did not run${observed.detail ? `: ${clip(observed.detail)}` : ''}` };
    case 'timeout':
      return { match: false, reason: `timeout${observed.detail ? `: ${clip(observed.detail)}` : ''}` };
    case 'import-error':
      // Production's own error may be an import error; then the load failure is the bug itself.
      if (!(observed.type && observed.type === expected.type && IMPORT_TYPES.has(expected.type))) {
        return { match: false, reason: `import error: ${clip(`${observed.type ? `${observed.type}: ` : ''}${observed.message}`)}` };
      }
      return matchFailure(expected, { type: observed.type, message: observed.message, frame: null }, true, options);
    case 'failed':
      return matchFailure(expected, observed, false, options);
  }
}

function matchFailure(
  expected: Signature,
  observed: { type?: string | undefined; message: string; frame: SignatureFrame | null },
  skipFrame: boolean,
  options: MatchOptions,
): SignatureMatch {
  const type = bareType(observed.type) ?? 'unknown error';
  if (type !== expected.type) {
    return { match: false, reason: `different exception ${type} vs ${expected.type} in production` };
  }
  if (!sameMessage(expected.message, observed.message)) {
    return {
      match: false,
      reason: `message differs: got "${clip(normalizeMessage(observed.message), 200)}", production "${clip(expected.normalizedMessage, 200)}"`,
    };
  }
  if (skipFrame || !expected.frame) return { match: true };
  const o = observed.frame;
  const fileOk = o !== null && samePath(expected.frame.file, o.file);
  let fnOk = o !== null && (expected.frame.function === '' || sameFunction(expected.frame.function, o.function));
  const enclosing = fileOk && !fnOk && o?.line ? options.functionAt?.(o.file, o.line) : undefined;
  if (enclosing !== undefined) fnOk = sameFunction(expected.frame.function, enclosing);
  if (!fileOk || !fnOk) {
    const where = enclosing !== undefined && enclosing !== o?.function ? ` (in ${enclosing})` : '';
    return { match: false, reason: `crash frame differs: got ${show(o)}${where}, production ${show(expected.frame)}` };
  }
  return { match: true };
}
