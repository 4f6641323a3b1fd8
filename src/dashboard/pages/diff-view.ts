// A unified diff as a readable table: one row per line with old and new line numbers, file headers,
// hunk headers, added/removed lines marked by CSS class, and the code in syntax colours by the
// file's language (syntax.ts). The diff text is data (a model or a template wrote it from
// attacker-influenced code): each line goes through the html tag or the shape-checked highlighter.
import { html, type Html } from '../html.ts';
import { highlightLine, languageOf } from './syntax.ts';

interface DiffLine {
  kind: 'file' | 'hunk' | 'add' | 'del' | 'ctx' | 'meta';
  text: string;
  oldNo?: number;
  newNo?: number;
  /** The file this line belongs to (the `+++` side, or `---` for a deletion). */
  file?: string;
}

export function parseUnifiedDiff(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  let file: string | undefined;
  for (const text of diff.replace(/\n$/, '').split('\n')) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      out.push({ kind: 'hunk', text });
    } else if (text.startsWith('diff --git') || text.startsWith('+++ ') || text.startsWith('--- ')) {
      const named = /^(?:\+\+\+|---) (?:[ab]\/)?(.+)$/.exec(text)?.[1];
      if (named && named !== '/dev/null') file = named;
      out.push({ kind: 'file', text });
    } else if (text.startsWith('+')) {
      out.push({ kind: 'add', text, newNo: newNo++, file });
    } else if (text.startsWith('-')) {
      out.push({ kind: 'del', text, oldNo: oldNo++, file });
    } else if (text.startsWith(' ') || text === '') {
      out.push({ kind: 'ctx', text, oldNo: oldNo++, newNo: newNo++, file });
    } else {
      out.push({ kind: 'meta', text });
    }
  }
  return out;
}

const LABEL: Record<DiffLine['kind'], string> = { add: 'added', del: 'removed', ctx: '', hunk: '', file: '', meta: '' };

/** A code line's marker (+, -, space) as text, then its code in colour; other lines as text. */
function code(l: DiffLine): Html {
  if (l.kind !== 'add' && l.kind !== 'del' && l.kind !== 'ctx') return html`${l.text}`;
  return html`<span class="d-mark">${l.text.slice(0, 1)}</span>${highlightLine(l.text.slice(1), languageOf(l.file))}`;
}

export function diffView(diff: string, caption: string): Html {
  if (!diff.trim()) return html`<p class="muted">Empty patch.</p>`;
  const lines = parseUnifiedDiff(diff);
  return html`<div class="table-wrap"><table class="diff"><caption>${caption}</caption>
<thead class="visually-hidden"><tr><th scope="col">Old line</th><th scope="col">New line</th><th scope="col">Change</th></tr></thead>
<tbody>${lines.map(
    (l) => html`<tr class="d-${l.kind}"><td class="ln">${l.oldNo ?? ''}</td><td class="ln">${l.newNo ?? ''}</td><td><pre${
      LABEL[l.kind] ? html` aria-label="${LABEL[l.kind]}"` : ''
    }>${code(l)}</pre></td></tr>`,
  )}</tbody></table></div>`;
}
