// A test failure as the runners report it → the exception it shows: type, message and frames
// (caller → callee, the crash site last, as in schemas/alert.ts). Each framework wraps the error
// its own way, so the text is unwrapped before stack-text.ts parses it:
//   node:test  `[Error [ERR_TEST_FAILURE]: …] { …, cause: TypeError: … at … }` (util.inspect)
//   pytest     native tracebacks (--tb=native), or its own long/short format with `E   ` lines
//   jest/vitest/mocha  a V8 stack, sometimes after the message
import type { Frame } from '../../schemas/alert.ts';
import type { TestFailure } from '../../schemas/test-results.ts';
import { parseErrorHeadline, parsePythonTraceback, parseV8Stack } from '../evidence/stack-text.ts';

export interface ParsedFailure {
  type?: string;
  module?: string;
  message: string;
  frames: Frame[];
}

/** node:test's junit text inspects the wrapper error; the real error is its `cause:` block. */
export function unwrapNodeTestCause(text: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\s*cause: /.test(l));
  if (at < 0) return text;
  const indent = /^(\s*)/.exec(lines[at] ?? '')?.[1]?.length ?? 0;
  const first = (lines[at] ?? '').trim().replace(/^cause: /, '');
  const rest: string[] = [];
  for (const l of lines.slice(at + 1)) {
    // The wrapper's own closing brace (at the wrapper's indent minus two) ends the cause.
    if (/^\S/.test(l) || (l.trim() === '}' && (/^(\s*)/.exec(l)?.[1]?.length ?? 0) < indent)) break;
    rest.push(l.slice(Math.min(indent, /^(\s*)/.exec(l)?.[1]?.length ?? 0)));
  }
  return [first, ...rest].join('\n');
}

/** pytest's long/short traceback: sections split by `_ _ _` rules, each ending with a
 * `path:line: ` location (`in func` in short style, the exception type on the last one). */
export function parsePytestTraceback(text: string): ParsedFailure | undefined {
  const lines = text.split('\n');
  const frames: Frame[] = [];
  let section: string[] = [];
  const errorLines: string[] = [];
  for (const l of lines) {
    if (/^(_ )+_\s*$/.test(l)) {
      section = [];
      continue;
    }
    const e = /^E\s{1,}(.*)$/.exec(l);
    if (e) errorLines.push(e[1] ?? '');
    const loc = /^([^\s:][^:]*\.py):(\d+):(?: (.*))?$/.exec(l);
    if (loc) {
      const tail = (loc[3] ?? '').trim();
      const inFn = /^in (\S+)$/.exec(tail)?.[1];
      const defFn = section
        .map((s) => /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/.exec(s)?.[1])
        .filter((x): x is string => x !== undefined)
        .at(-1);
      const file = loc[1] as string;
      const fn = inFn ?? defFn;
      frames.push({
        file,
        line: Number(loc[2]),
        ...(fn ? { function: fn } : {}),
        inApp: !/(^|\/)(site|dist)-packages\/|(^|\/)lib\/python\d/.test(file),
      });
      section = [];
      continue;
    }
    section.push(l);
  }
  if (frames.length === 0 && errorLines.length === 0) return undefined;
  const headline = parseErrorHeadline(errorLines[0] ?? '');
  const qualified = headline?.type;
  const dot = qualified ? qualified.lastIndexOf('.') : -1;
  return {
    ...(qualified ? { type: dot > 0 ? qualified.slice(dot + 1) : qualified } : {}),
    ...(qualified && dot > 0 ? { module: qualified.slice(0, dot) } : {}),
    message: headline ? [headline.message, ...errorLines.slice(1)].join('\n').trim() : errorLines.join('\n').trim(),
    frames,
  };
}

/** Strips a leading `Type: ` / `module.Type: ` / `Type [CODE]: ` that repeats the error type. */
export function stripTypePrefix(message: string, type: string | undefined): string {
  const m = /^\s*(?:E\s+)?(?:Uncaught\s+)?([A-Za-z_$][\w$.]*)(?: \[[\w.-]+\])?: ?/.exec(message);
  if (!m?.[1]) return message.trim();
  const named = m[1].split('.').at(-1);
  if (type ? named === type : /(Error|Exception)$/.test(named ?? '')) return message.slice(m[0].length).trim();
  return message.trim();
}

/** Last dotted segment: `builtins.KeyError` → `KeyError`. */
export function bareType(type: string | undefined): string | undefined {
  return type?.split('.').at(-1) || undefined;
}

/** Type, message and frames of a runner-reported failure (or of raw command output). */
export function parseFailure(failure: Pick<TestFailure, 'message' | 'type' | 'stack'>): ParsedFailure {
  const raw = failure.stack ?? '';
  const text = unwrapNodeTestCause(raw);
  let parsed: ParsedFailure | undefined;
  if (/^\s*Traceback \(most recent call last\):\s*$/m.test(text)) {
    const last = parsePythonTraceback(text).at(-1);
    if (last) parsed = { type: last.type, ...(last.module ? { module: last.module } : {}), message: last.message, frames: last.frames };
  }
  if (!parsed) {
    const chain = parseV8Stack(text);
    const outer = chain?.at(-1);
    if (outer) parsed = { type: outer.type, message: outer.message, frames: outer.frames };
  }
  parsed ??= parsePytestTraceback(text);
  const type = bareType(failure.type) ?? bareType(parsed?.type);
  // The runner's message is the cleanest when it has one; the parsed one covers stack-only reports.
  const reported = failure.message && !/^(test failed|failed|collection failure)$/.test(failure.message.trim()) ? failure.message : undefined;
  const message = stripTypePrefix(reported ?? parsed?.message ?? '', type);
  return {
    ...(type ? { type } : {}),
    ...(parsed?.module ? { module: parsed.module } : {}),
    message,
    frames: parsed?.frames ?? [],
  };
}
