// The root cause, in one paragraph. The engine's own account when it gave one (the model's), shown
// as plain text; otherwise written from the evidence tracefix holds: where the error is raised and
// from where, what the reproduction showed, and what the patch changes there. Telemetry text (the
// message) never enters the paragraph: it follows in a fenced block.
import type { Bundle } from '../../../schemas/bundle.ts';
import type { Candidate, Reproduced } from '../../../schemas/run.ts';
import { code, escapeText, fence } from './markdown.ts';

/** Workspace-relative files a unified diff touches, in order. */
export function diffFiles(diff: string): string[] {
  const files: string[] = [];
  for (const line of diff.split('\n')) {
    const m = /^diff --git a\/(.+) b\/(.+)$/.exec(line);
    if (m?.[2] && !files.includes(m[2])) files.push(m[2]);
  }
  return files;
}

/** The in-app caller of the crash frame, when the stack has one. */
function callerName(bundle: Bundle): string | undefined {
  const { frames, topInAppFrame } = bundle.exception;
  if (topInAppFrame < 0) return undefined;
  return frames.slice(topInAppFrame + 1).find((f) => f.inApp && f.function)?.function;
}

export interface RootCauseInput {
  bundle: Bundle;
  reproduction: Reproduced;
  candidate: Candidate;
  /** The engine's one-paragraph root cause, when it wrote one. */
  rootCause?: string | undefined;
}

export function rootCauseSection(input: RootCauseInput): string {
  const { bundle, reproduction, candidate } = input;
  const message = `${reproduction.signature.type}: ${reproduction.signature.message}`;
  if (input.rootCause?.trim()) {
    return `${escapeText(input.rootCause)}\n\nThe error, as production reported it:\n\n${fence(message)}`;
  }
  const sig = reproduction.signature;
  const frame = sig.frame;
  const where = frame
    ? `in ${frame.function ? `${code(frame.function)} (${code(frame.file)}${frame.line ? `, line ${frame.line}` : ''})` : `${code(frame.file)}${frame.line ? ` at line ${frame.line}` : ''}`}`
    : 'in code without an in-app stack frame';
  const caller = callerName(bundle);
  const called = caller && caller !== frame?.function ? `, called from ${code(caller)},` : '';
  const files = diffFiles(candidate.diff);
  const lines = `+${candidate.stats.added} −${candidate.stats.removed}`;
  const at = candidate.location ? ` at ${code(`${candidate.location.file}${candidate.location.line ? `:${candidate.location.line}` : ''}`)}` : '';
  const paragraph = [
    `Production raised ${code(sig.type)} ${where}${called} with the message below.`,
    `A test that calls the code with the values production recorded fails the same way (the same exception type, the same message once numbers, ids and quoted literals are masked, the same crash frame) in ${reproduction.runs} of ${reproduction.runs} runs, so those inputs reaching this code are enough to cause it.`,
    `The patch changes ${files.length ? files.map((f) => code(f)).join(', ') : 'the code'} (${lines} lines)${at}: ${escapeText(candidate.description)}.`,
    'With it, the test passes and the suite stays as it was; with it reverted, the test fails with the incident\'s signature again.',
  ].join(' ');
  return `${paragraph}\n\n${fence(message)}`;
}
