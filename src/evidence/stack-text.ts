// Stack traces that arrive only as text (GitHub issue bodies, Datadog `error.stack`, OTLP
// `exception.stacktrace`) → ExceptionValue/Frame, the same shape Sentry gives us structured.
// Frames always come out caller → callee (the crash site last), exceptions oldest first.
// Supported: V8 (Node, Chromium) `error.stack` and CPython tracebacks, including chains.
import type { ExceptionValue, Frame } from '../../schemas/alert.ts';

const PY_TRACEBACK = /^\s*Traceback \(most recent call last\):\s*$/;
const PY_FILE = /^\s*File "(.+)", line (\d+)(?:, in (.+))?\s*$/;
const PY_CHAIN = /^\s*(During handling of the above exception, another exception occurred|The above exception was the direct cause of the following exception):\s*$/;
/** Frame lines longer than this are not parsed: real ones are far shorter, and it bounds the
 * regex work on hostile text (issue bodies are user-written). */
const MAX_FRAME_LINE = 4096;
const V8_CAUSE = /^\s*\[cause\]:\s*(.*)$/;
/** `Type: message`, `Type [CODE]: message`, `Uncaught Type: message`. */
const HEADLINE = /^(?:Uncaught\s+)?([A-Za-z_$][\w$.]*)(?:\s\[([\w.-]+)\])?(?::\s?(.*))?$/;
const LOCATIONLESS = /^(<anonymous>|native|index \d+|unknown location)$/;
const ERRORISH = /(Error|Exception|Warning|Fault|Rejection|Interrupt|Exit|Failure)$/;

export interface Headline {
  type: string;
  message: string;
}

/** Error type and message from a stack's first line: `TypeError: Cannot read properties…`.
 * A line without `: ` counts only when the name looks like an error (`Error`, `KeyboardInterrupt`). */
export function parseErrorHeadline(text: string): Headline | undefined {
  const line = (text.split(/\r?\n/, 1)[0] ?? '').trim();
  const m = HEADLINE.exec(line);
  if (!m?.[1]) return undefined;
  if (m[3] === undefined && !ERRORISH.test(m[1])) return undefined;
  return { type: m[1], message: m[3] ?? '' };
}

/** Auto-detects the format. Returns the exception chain, oldest first; [] when no stack is found. */
export function parseStackText(text: string): ExceptionValue[] {
  if (text.split(/\r?\n/).some((l) => PY_TRACEBACK.test(l))) return parsePythonTraceback(text);
  const v8 = parseV8Stack(text);
  return v8 ? v8 : [];
}

/** Frames of the raised exception (crash site last), in the shape of the OTLP intake's
 * `StackParser`. `language` is OTel's `telemetry.sdk.language` (python, nodejs, webjs...). */
export function framesFromStackText(text: string, context: { language?: string } = {}): Frame[] {
  const language = context.language?.toLowerCase();
  const chain = language === 'python' ? parsePythonTraceback(text) : language === 'nodejs' || language === 'webjs' ? (parseV8Stack(text) ?? []) : parseStackText(text);
  return chain.at(-1)?.frames ?? [];
}

// ---------------------------------------------------------------------------------------------
// V8

/** Parses the first run of `at` lines in `text` and the error headline above it. Node prints a
 * cause after the stack as `[cause]: Error: …` followed by its own `at` lines; that cause is
 * returned first (it happened first). Undefined when the text has no `at` line. */
export function parseV8Stack(text: string): ExceptionValue[] | undefined {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => parseV8FrameLine(l) !== undefined);
  if (first < 0) return undefined;
  const outer = v8Block(lines.slice(0, first), lines, first);
  const chain = [outer.exception];
  let next = outer.end;
  for (let cause = findCause(lines, next); cause >= 0; cause = findCause(lines, next)) {
    const at = lines.findIndex((l, i) => i > cause && parseV8FrameLine(l) !== undefined);
    if (at < 0) break;
    const headline = V8_CAUSE.exec(lines[cause] ?? '')?.[1] ?? '';
    const block = v8Block([headline, ...lines.slice(cause + 1, at)], lines, at);
    chain.unshift(block.exception);
    next = block.end;
  }
  return chain;
}

/** util.inspect prints an error's own properties (`code: 'ECONNREFUSED',`) and its
 * `[cause]: …` inside `{ … }` after the stack; the block ends at the next unindented line. */
function findCause(lines: string[], from: number): number {
  for (let i = from; i < lines.length && i < from + 40; i++) {
    const line = lines[i] ?? '';
    if (V8_CAUSE.test(line)) return i;
    if (/^\S/.test(line)) return -1;
  }
  return -1;
}

function v8Block(header: string[], lines: string[], start: number): { exception: ExceptionValue; end: number } {
  const frames: Frame[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const frame = parseV8FrameLine(line);
    if (frame) frames.push(frame);
    else if (!/^\s*\.\.\. \d+ (more )?lines? matching/.test(line) && !/^\s*\.\.\.\s*$/.test(line)) break;
  }
  const headline = findHeadline(header);
  const rawStack = [...header.slice(headline.index), ...lines.slice(start, i)].join('\n').trim();
  // V8 lists the innermost call first; the Alert contract wants the crash site last.
  frames.reverse();
  return { exception: { type: headline.type, message: headline.message, frames, rawStack }, end: i };
}

/** The headline is the first error-looking line of the header (Node's uncaught-exception output
 * puts the source line and a caret above it); lines after it are the rest of the message. */
function findHeadline(header: string[]): Headline & { index: number } {
  for (let i = 0; i < header.length; i++) {
    const m = HEADLINE.exec((header[i] ?? '').trim());
    if (m?.[1] && ERRORISH.test(m[1])) return headlineAt(header, i, m[1], m[3] ?? '');
  }
  for (let i = header.length - 1; i >= 0; i--) {
    const h = parseErrorHeadline(header[i] ?? '');
    if (h) return headlineAt(header, i, h.type, h.message);
  }
  const message = header.join('\n').trim();
  return { type: 'Error', message, index: 0 };
}

function headlineAt(header: string[], index: number, type: string, first: string): Headline & { index: number } {
  const rest = header.slice(index + 1).join('\n').trimEnd();
  const message = rest.trim() ? `${first}\n${rest}`.trim() : first.trim();
  return { type, message, index };
}

/** One `at` line → Frame, or undefined when the line is not a V8 frame. */
export function parseV8FrameLine(line: string): Frame | undefined {
  if (line.length > MAX_FRAME_LINE) return undefined;
  const trimmed = line.trim();
  if (!/^at\s/.test(trimmed)) return undefined;
  // util.inspect opens the error's property block on the last frame line: `at f (x.js:1:2) {`.
  const rest = trimmed.slice(3).trim().replace(/^async\s+/, '').replace(/\s+\{$/, '');
  if (!rest) return undefined;
  let fn: string | undefined;
  let location: string;
  const paren = /^(.*?) \((.*)\)$/.exec(rest);
  if (paren) {
    fn = paren[1];
    location = paren[2] ?? '';
  } else {
    location = rest;
  }
  // `eval at handler (/app/x.js:3:5), <anonymous>:1:1`: the eval's origin is the useful place.
  const evalOrigin = /^eval at [^(]*\((.*?)\)/.exec(location);
  if (evalOrigin?.[1]) location = evalOrigin[1];
  const loc = /^(.*?):(\d+)(?::(\d+))?$/.exec(location);
  // Without file:line, only V8's own placeholders count; this keeps prose such as
  // "at home (see above)" in an issue body from being read as a frame.
  if (!loc && !(paren && LOCATIONLESS.test(location))) return undefined;
  const frame: Frame = {};
  if (fn) frame.function = fn.replace(/\s\[as [^\]]+\]$/, '');
  const where = loc ? loc[1] ?? '' : location;
  Object.assign(frame, fileFields(where));
  if (loc?.[2]) frame.line = Number(loc[2]);
  if (loc?.[3]) frame.column = Number(loc[3]);
  frame.inApp = isV8InApp(where);
  return frame;
}

function fileFields(where: string): Pick<Frame, 'file' | 'absPath'> {
  if (where === '' || LOCATIONLESS.test(where)) return where ? { file: where } : {};
  if (where.startsWith('file://')) {
    const path = decodeURIComponent(where.replace(/^file:\/\/(localhost)?/, '').replace(/[?#].*$/, ''));
    return { file: path, absPath: path };
  }
  if (/^https?:\/\//.test(where)) {
    try {
      return { file: new URL(where).pathname, absPath: where };
    } catch {
      return { file: where };
    }
  }
  return /^(\/|[A-Za-z]:[\\/])/.test(where) ? { file: where, absPath: where } : { file: where };
}

function isV8InApp(where: string): boolean {
  if (where === '' || LOCATIONLESS.test(where)) return false;
  if (where.startsWith('node:') || where.startsWith('internal/')) return false;
  return !/[/\\]node_modules[/\\]/.test(where);
}

// ---------------------------------------------------------------------------------------------
// Python

/** CPython tracebacks, already "most recent call last" (caller → callee). Chained tracebacks
 * ("During handling…", "The above exception was the direct cause…") come out oldest first,
 * which is also the order Python prints them in. */
export function parsePythonTraceback(text: string): ExceptionValue[] {
  const lines = text.split(/\r?\n/);
  const out: ExceptionValue[] = [];
  let frames: Frame[] | undefined;
  let blockStart = 0;
  // A traceback pasted inside an indented block (a markdown list, a log prefix) is read relative
  // to the indentation of its "Traceback" line.
  let base = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (PY_TRACEBACK.test(line)) {
      frames = [];
      blockStart = i;
      base = indentOf(line);
      continue;
    }
    if (!frames) continue;
    const file = line.length <= MAX_FRAME_LINE ? PY_FILE.exec(line) : null;
    if (file) {
      const frame = pythonFrame(file[1] ?? '', Number(file[2]), file[3]);
      const code = lines[i + 1];
      if (code !== undefined && code.trim() && indentOf(code) > indentOf(line) && !PY_FILE.test(code) && !/^\s*[\^~]+\s*$/.test(code)) {
        frame.contextLine = code.trim();
        i++;
      }
      frames.push(frame);
      continue;
    }
    if (line.trim() === '' || indentOf(line) > base) continue; // carets, "[Previous line repeated…]"
    // First unindented line after the frames: `module.Type: message`, then message continuation.
    let end = i + 1;
    while (end < lines.length && continuesMessage(lines[end] ?? '')) end++;
    out.push(pythonException(lines.slice(i, end), frames, lines.slice(blockStart, end).join('\n')));
    frames = undefined;
    i = end - 1;
  }
  return out;
}

/** A Python exception message runs until a blank line, the next chained traceback, or the end
 * of a markdown fence the traceback was pasted in. */
function continuesMessage(line: string): boolean {
  return line.trim() !== '' && !PY_TRACEBACK.test(line) && !PY_CHAIN.test(line) && !/^\s*(```|~~~)/.test(line);
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)?.[0].length ?? 0;
}

function pythonFrame(path: string, line: number, fn: string | undefined): Frame {
  const absolute = /^(\/|[A-Za-z]:[\\/])/.test(path);
  const library = /[/\\](site|dist)-packages[/\\]|[/\\]lib[/\\]python\d[\d.]*[/\\]|^<frozen /.test(path);
  return {
    file: path,
    ...(absolute ? { absPath: path } : {}),
    ...(fn ? { function: fn.trim() } : {}),
    line,
    inApp: !library,
  };
}

function pythonException(messageLines: string[], frames: Frame[], rawStack: string): ExceptionValue {
  const [first = '', ...more] = messageLines;
  const m = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(first.trim());
  const qualified = m?.[1] ?? 'Exception';
  const dot = qualified.lastIndexOf('.');
  const message = (m ? (m[2] ?? '') : first.trim()) + (more.length ? `\n${more.join('\n')}` : '');
  return {
    type: dot > 0 ? qualified.slice(dot + 1) : qualified,
    message: message.trim(),
    ...(dot > 0 ? { module: qualified.slice(0, dot) } : {}),
    frames,
    rawStack: rawStack.trim(),
  };
}
