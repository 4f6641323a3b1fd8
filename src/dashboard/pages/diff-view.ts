// A unified diff as a readable table: one row per line with old and new line numbers, file headers,
// hunk headers, and added/removed lines coloured by CSS class. The diff text is data (a model or a
// template wrote it from attacker-influenced code), so each line goes through the html tag.
import { html, type Html } from '../html.ts';

interface DiffLine {
  kind: 'file' | 'hunk' | 'add' | 'del' | 'ctx' | 'meta';
  text: string;
  oldNo?: number;
  newNo?: number;
}

export function parseUnifiedDiff(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  for (const text of diff.replace(/\n$/, '').split('\n')) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      out.push({ kind: 'hunk', text });
    } else if (text.startsWith('diff --git') || text.startsWith('+++ ') || text.startsWith('--- ')) {
      out.push({ kind: 'file', text });
    } else if (text.startsWith('+')) {
      out.push({ kind: 'add', text, newNo: newNo++ });
    } else if (text.startsWith('-')) {
      out.push({ kind: 'del', text, oldNo: oldNo++ });
    } else if (text.startsWith(' ') || text === '') {
      out.push({ kind: 'ctx', text, oldNo: oldNo++, newNo: newNo++ });
    } else {
      out.push({ kind: 'meta', text });
    }
  }
  return out;
}

const LABEL: Record<DiffLine['kind'], string> = { add: 'added', del: 'removed', ctx: '', hunk: '', file: '', meta: '' };

export function diffView(diff: string, caption: string): Html {
  if (!diff.trim()) return html`<p class="muted">Empty patch.</p>`;
  const lines = parseUnifiedDiff(diff);
  return html`<div class="table-wrap"><table class="diff"><caption>${caption}</caption>
<thead class="visually-hidden"><tr><th scope="col">Old line</th><th scope="col">New line</th><th scope="col">Change</th></tr></thead>
<tbody>${lines.map(
    (l) => html`<tr class="d-${l.kind}"><td class="ln">${l.oldNo ?? ''}</td><td class="ln">${l.newNo ?? ''}</td><td><pre${
      LABEL[l.kind] ? html` aria-label="${LABEL[l.kind]}"` : ''
    }>${l.text}</pre></td></tr>`,
  )}</tbody></table></div>`;
}
