// Markdown that stays inert whatever text it is given. The PR body carries text tracefix did not
// write: error messages and locals from production telemetry, test names and output from the
// repository, a model's summary. Such text never becomes Markdown or HTML: long or multi-line text
// goes into a fenced code block whose fence is longer than any backtick run inside it (so nothing
// inside can close it), short identifiers into code spans built the same way, and prose into
// escaped text (HTML entities, backslash-escaped Markdown punctuation, no @mentions).

function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** Text without control characters (tabs and newlines kept): terminals and renderers differ on them. */
export function stripControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** A fenced code block holding `text` verbatim. `lang` is ours (diff, text, json), never input. */
export function fence(text: string, lang = 'text'): string {
  const body = stripControls(text).replace(/\r\n?/g, '\n');
  const ticks = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${ticks}${lang}\n${body}${body.endsWith('\n') ? '' : '\n'}${ticks}\n`;
}

/** An inline code span of one line of text (clipped): identifiers, paths, test ids. */
export function code(text: string, max = 200): string {
  let t = stripControls(text).replace(/\s+/g, ' ').trim();
  if (t.length > max) t = `${t.slice(0, max - 1)}…`;
  if (t === '') return '` `';
  const ticks = '`'.repeat(longestRun(t, '`') + 1);
  // A span that starts or ends with a backtick needs a space of padding (CommonMark strips one).
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${t}${pad}${ticks}`;
}

// Characters that open inline Markdown (code, emphasis, links, strikethrough, table cells);
// `<` and `>` become entities, which also keeps HTML out.
const MD_INLINE = /[\\`*_[\]|~]/g;

/** Prose from elsewhere as plain text on one line: no HTML, no Markdown, no mentions. */
export function escapeText(text: string): string {
  return (
    stripControls(text)
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(MD_INLINE, (c) => `\\${c}`)
      // A line that starts like a heading, quote, list item or setext underline stays a paragraph.
      .replace(/^([#+\-=]|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`))
      // A zero-width space after @ keeps GitHub from turning `@name` into a notification.
      .replace(/@/g, '@\u200b')
  );
}

/** A code span inside a table cell: GFM splits cells at every unescaped pipe, code spans too. */
export function codeCell(text: string, max = 200): string {
  return code(text, max).replace(/\|/g, '\\|');
}

/** A Markdown table from escaped cells. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}
