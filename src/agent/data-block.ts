// Untrusted text in a prompt. Anything that came from telemetry (messages, log lines, attribute
// values, user agents, issue bodies) or from running or reading the repository (test output,
// source code) may carry text an attacker wrote, such as "ignore previous instructions". The
// model sees such text only inside a delimited block whose tag the text cannot forge: every
// occurrence of the tag name inside the data is neutralized, so the block ends where we ended
// it. The system prompt says that block content is data, never instructions.

export const DATA_TAG = 'untrusted-data';

export interface DataBlock {
  /** What the block holds (`exception.message`, `read_file:src/cart.js`); our own text. */
  id: string;
  text: string;
}

/** `<untrusted-data`, `</untrusted-data`, `< / UNTRUSTED-DATA` … anywhere in the data. */
const TAG_IN_DATA = /<(\s*\/?\s*untrusted-data)/gi;

/** The data with any spelling of the delimiter tag defused (`<` → `&lt;`). */
export function neutralize(text: string): string {
  return text.replace(TAG_IN_DATA, '&lt;$1');
}

/** Ids are ours but may carry a path the model chose: keep them to a safe alphabet. */
function safeId(id: string): string {
  return id.replace(/[^\w.:/@#[\]-]/g, '_').slice(0, 200);
}

export function renderBlock(block: DataBlock): string {
  const body = neutralize(block.text);
  return `<${DATA_TAG} id="${safeId(block.id)}">\n${body}${body.endsWith('\n') ? '' : '\n'}</${DATA_TAG}>`;
}

/** Cuts text to `max` characters, keeping its head and its tail (errors often sit at the end of
 * output) with a marker that says how much is gone and how to see more. */
export function capText(text: string, max: number, hint = 'narrow the request to see the rest'): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const marker = (cut: number) => `\n[… ${cut} characters cut: the output passed the ${max}-character limit; ${hint} …]\n`;
  const room = Math.max(0, max - marker(text.length).length);
  const head = Math.ceil(room * 0.7);
  const tail = room - head;
  const cut = text.length - head - tail;
  return { text: `${text.slice(0, head)}${marker(cut)}${tail > 0 ? text.slice(text.length - tail) : ''}`, truncated: true };
}

/** Spans of `text` that lie inside data blocks, as [start, end) offsets: what a checker (the
 * test server) uses to prove untrusted text never appears outside one. */
export function blockSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const open = new RegExp(`<${DATA_TAG}(?:\\s[^>]*)?>`, 'g');
  const close = `</${DATA_TAG}>`;
  let m: RegExpExecArray | null;
  while ((m = open.exec(text))) {
    const end = text.indexOf(close, open.lastIndex);
    if (end < 0) break;
    spans.push([m.index, end + close.length]);
    open.lastIndex = end + close.length;
  }
  return spans;
}
