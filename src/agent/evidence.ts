// The bundle as prompt material. Every piece of text that came from telemetry becomes a data
// block (data-block.ts); the only text outside blocks is what we compute ourselves (counts, times,
// ids we issued). Sections are short on purpose: the minimal span path and log window, the frames
// that matter with their locals, each capped, so the prompt stays within a few thousand tokens.
import type { Bundle, BundleFrame, BundleSpan, LocalValue } from '../../schemas/bundle.ts';
import type { Localization } from '../../schemas/run.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { capText, type DataBlock } from './data-block.ts';

const MAX_FRAMES = 12;
const MAX_LOCALS_CHARS = 1500;
const MAX_LOGS = 40;
const MAX_ATTRS = 25;
const SLICE_CONTEXT = 20;
const MAX_SLICE_LINES = 160;

const cap = (text: string, max: number) => capText(text, max).text;

/** Trusted facts only: ids, counts, times, source. */
export function incidentFacts(bundle: Bundle): string {
  const i = bundle.incident;
  const repo = bundle.repo.commitSha ? ` at commit ${bundle.repo.commitSha}` : '';
  return `Incident ${i.id} (source: ${i.source}), seen ${i.count} time${i.count === 1 ? '' : 's'} between ${i.firstSeen} and ${i.lastSeen}${repo}.`;
}

function localsText(locals: Record<string, LocalValue> | undefined): string {
  if (!locals || Object.keys(locals).length === 0) return '';
  return cap(JSON.stringify(locals), MAX_LOCALS_CHARS);
}

function frameText(frame: BundleFrame, index: number, withLocals: boolean): string {
  const where = `${frame.file ?? frame.absPath ?? '?'}${frame.line ? `:${frame.line}` : ''}`;
  const lines = [`#${index} ${frame.function ?? '(anonymous)'} at ${where}${frame.inApp ? '' : ' [library]'}`];
  if (frame.contextLine !== undefined) lines.push(`    > ${frame.contextLine}`);
  const locals = withLocals ? localsText(frame.locals) : '';
  if (locals) lines.push(`    locals: ${locals}${frame.localsTruncated ? ' (cut)' : ''}`);
  return lines.join('\n');
}

/** The exception: type and message, then the frames innermost first (library frames folded). */
export function exceptionBlocks(bundle: Bundle, options: { locals: boolean }): DataBlock[] {
  const e = bundle.exception;
  const blocks: DataBlock[] = [{ id: 'incident.title', text: bundle.incident.title }, { id: 'exception.message', text: `${e.type}: ${e.message}` }];
  const frames = e.frames.map((f, i) => ({ f, i })).filter(({ f, i }) => f.inApp || i === 0).slice(0, MAX_FRAMES);
  const omitted = e.frames.length - frames.length + e.framesOmitted;
  if (frames.length) {
    const text = frames.map(({ f, i }) => frameText(f, i, options.locals)).join('\n') + (omitted ? `\n(${omitted} more frames, library frames among them, not shown)` : '');
    blocks.push({ id: 'exception.frames', text });
  } else if (e.rawStack) {
    blocks.push({ id: 'exception.stack', text: cap(e.rawStack, 4000) });
  }
  for (const [n, cause] of e.causes.slice(0, 3).entries()) {
    blocks.push({ id: `exception.cause[${n}]`, text: `${cause.type}: ${cause.message}\n${cause.frames.slice(0, 5).map((f, i) => frameText(f, i, false)).join('\n')}` });
  }
  return blocks;
}

function spanLine(span: BundleSpan): string {
  const status = span.status === 'error' ? ` ERROR${span.statusMessage ? ` ${span.statusMessage}` : ''}` : '';
  return `${span.service ? `${span.service} ` : ''}${span.kind} "${span.name}" ${span.durationMs.toFixed(1)} ms${status}`;
}

/** The span path of the failing request, the request itself and the log window around the error. */
export function telemetryBlocks(bundle: Bundle): DataBlock[] {
  const blocks: DataBlock[] = [];
  const t = bundle.trace;
  if (t.errorSpan) {
    const path = [...t.ancestors.map((s) => `  ${spanLine(s)}`), `→ ${spanLine(t.errorSpan)}`, ...t.children.slice(0, 10).map((s) => `    child: ${spanLine(s)}`)];
    const attrs = Object.entries(t.errorSpan.attributes)
      .slice(0, MAX_ATTRS)
      .map(([k, v]) => `  ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    const events = t.errorSpan.events.slice(0, 5).map((e) => `  event ${e.name} ${JSON.stringify(e.attributes)}`);
    blocks.push({ id: 'trace.span-path', text: cap([...path, 'error span attributes:', ...attrs, ...events].join('\n'), 6000) });
  }
  const r = bundle.repro.request;
  if (r) {
    const lines = [
      `${r.method ?? ''} ${r.route ?? r.path ?? r.url ?? ''}`.trim(),
      r.query ? `query: ${r.query}` : '',
      r.userAgent ? `user-agent: ${r.userAgent}` : '',
      ...Object.entries(r.headers ?? {})
        .filter(([k]) => !(r.userAgent && k.toLowerCase() === 'user-agent'))
        .slice(0, 15)
        .map(([k, v]) => `${k}: ${v}`),
      r.body ? `body: ${r.body}${r.bodyTruncated ? ' (cut)' : ''}` : '',
      r.statusCode ? `status: ${r.statusCode}` : '',
    ].filter(Boolean);
    if (lines.length) blocks.push({ id: 'request', text: cap(lines.join('\n'), 5000) });
  }
  const logs = bundle.logs.entries.slice(0, MAX_LOGS).map((l) => {
    const offset = `${l.offsetMs >= 0 ? '+' : ''}${Math.round(l.offsetMs)} ms`;
    return `[${offset}] ${l.severity}${l.count > 1 ? ` (×${l.count})` : ''} ${l.body}`;
  });
  if (logs.length) blocks.push({ id: 'logs', text: cap(logs.join('\n'), 8000) });
  return blocks;
}

/** The ranking as the model reads it: file:line, function, score, reasons. */
export function rankingBlock(localization: Localization, max = 10): DataBlock | undefined {
  const rows = localization.ranking.slice(0, max).map((r, i) => `${i + 1}. ${r.file}:${r.line}${r.function ? ` ${r.function}` : ''} (score ${r.score.toFixed(2)}): ${r.reasons.join('; ')}`);
  return rows.length ? { id: 'localization.ranking', text: rows.join('\n') } : undefined;
}

/** Numbered slices of the top-ranked files around their ranked lines (windows merged). */
export async function codeBlocks(sandbox: Sandbox, locations: readonly { file: string; line: number }[], maxFiles = 3): Promise<DataBlock[]> {
  const byFile = new Map<string, number[]>();
  for (const l of locations) {
    if (!byFile.has(l.file) && byFile.size >= maxFiles) continue;
    byFile.set(l.file, [...(byFile.get(l.file) ?? []), l.line]);
  }
  const blocks: DataBlock[] = [];
  for (const [file, lines] of byFile) {
    let text: string;
    try {
      text = await sandbox.readFile(file);
    } catch {
      continue;
    }
    const all = text.split('\n');
    const windows: [number, number][] = [];
    for (const line of [...lines].sort((a, b) => a - b)) {
      const w: [number, number] = [Math.max(1, line - SLICE_CONTEXT), Math.min(all.length, line + SLICE_CONTEXT)];
      const last = windows.at(-1);
      if (last && w[0] <= last[1] + 1) last[1] = Math.max(last[1], w[1]);
      else windows.push(w);
    }
    const out: string[] = [];
    let shown = 0;
    for (const [from, to] of windows) {
      if (shown >= MAX_SLICE_LINES) break;
      if (out.length) out.push('…');
      for (let n = from; n <= to && shown < MAX_SLICE_LINES; n++, shown++) out.push(`${String(n).padStart(4)}| ${all[n - 1]}`);
    }
    blocks.push({ id: `code:${file}`, text: out.join('\n') });
  }
  return blocks;
}
