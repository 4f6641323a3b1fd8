// Syntax colours for code shown on the dashboard (the diff, the reproduction test), rendered on the
// server by highlight.js: no script in the browser, colours are CSS classes (`hljs-keyword`, …)
// that assets/dashboard.css styles. Only the languages tracefix repairs are registered.
// highlight.js escapes the text it wraps, but its output is still HTML made from attacker-
// influenced code, so it is accepted only when it has exactly the shape highlight.js produces:
// text without `<` or `>`, and `<span class="hljs-…">` / `</span>`. Anything else (a highlighter bug,
// a future change of output) falls back to the plain escaped line.
import { createRequire } from 'node:module';
import { html, trustedHtml, type Html } from '../html.ts';

/** The part of highlight.js used here. Loaded through require: its type declarations pull in the
 * DOM lib (`/// <reference lib="dom" />`), which would change Node's fetch types project-wide. */
interface Highlighter {
  registerLanguage(name: string, language: unknown): void;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
}
const require = createRequire(import.meta.url);
const hljs = require('highlight.js/lib/core') as Highlighter;
for (const name of ['javascript', 'typescript', 'python']) hljs.registerLanguage(name, require(`highlight.js/lib/languages/${name}`) as unknown);

const BY_EXTENSION: Record<string, string> = {
  js: 'javascript',
  cjs: 'javascript',
  mjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  cts: 'typescript',
  mts: 'typescript',
  tsx: 'typescript',
  py: 'python',
};

/** The highlight.js language of a file path, or undefined when it is not one we colour. */
export function languageOf(filePath: string | undefined): string | undefined {
  const ext = filePath ? /\.([A-Za-z0-9]+)$/.exec(filePath)?.[1]?.toLowerCase() : undefined;
  return ext ? BY_EXTENSION[ext] : undefined;
}

const SAFE_SHAPE = /^(?:[^<>]|<span class="hljs-[a-z_]+(?: [a-z_]+_*)*">|<\/span>)*$/;

/** One line of code, coloured when its language is known; always safe to put in a page. */
export function highlightLine(code: string, language: string | undefined): Html {
  if (!language || code.length > 2000) return html`${code}`;
  const out = hljs.highlight(code, { language, ignoreIllegals: true }).value;
  return SAFE_SHAPE.test(out) ? trustedHtml(out) : html`${code}`;
}

/** A block of code, coloured line by line (so each line stays its own element). */
export function highlightBlock(code: string, language: string | undefined): Html[] {
  return code.split('\n').map((line) => highlightLine(line, language));
}
