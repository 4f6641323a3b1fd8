// `tracefix replay <run>`: prints an LLM agent transcript as a readable replay: every message,
// tool call and result, each model call's tokens, cost and time, budget and stuck events, and the
// verdict of each submission. <run> is a transcript file, a directory holding transcript.json, or
// a run id (<TRACEFIX_DATA_DIR>/runs/<id>/transcript.json). Colored on a terminal; the text comes
// from telemetry and a model, so control characters are shown escaped, never sent to the terminal.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, styleText } from 'node:util';
import { Transcript, type TranscriptAttempt, type TranscriptEvent, type TranscriptUsage } from '../../schemas/transcript.ts';
import { loadConfig } from '../config.ts';
import { UsageError } from '../errors.ts';

const USAGE = `Usage: tracefix replay <run> [--full]

Prints the LLM agent's transcript of a run: messages, tool calls and results, tokens, cost and
timings per model call, budget and stuck events. <run> is a transcript.json file, a directory
holding one, or a run id (looked up as <TRACEFIX_DATA_DIR>/runs/<id>/transcript.json).
--full prints every message whole (long ones are shortened otherwise). Exit 2 when not found.
`;

const TRANSCRIPT = 'transcript.json';

async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}

/** The transcript file `run` names, or undefined. */
export async function resolveTranscript(run: string, dataDir: () => string): Promise<string | undefined> {
  if (await isFile(run)) return run;
  if (await isFile(path.join(run, TRANSCRIPT))) return path.join(run, TRANSCRIPT);
  if (/^[\w.-]{1,128}$/.test(run) && run !== '.' && run !== '..') {
    const byId = path.join(dataDir(), 'runs', run, TRANSCRIPT);
    if (await isFile(byId)) return byId;
  }
  return undefined;
}

type Style = Parameters<typeof styleText>[0];
const paint = (style: Style, text: string) => styleText(style, text, { stream: process.stdout });

/** Untrusted text made safe for a terminal: control characters (ESC above all) shown escaped. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function shorten(text: string, maxLines: number, full: boolean): string {
  const lines = printable(text).split('\n');
  if (full || lines.length <= maxLines) return lines.join('\n');
  return `${lines.slice(0, maxLines).join('\n')}\n${paint('dim', `[… ${lines.length - maxLines} more lines; --full shows them]`)}`;
}

const indent = (text: string, pad = '    ') => text.split('\n').map((l) => pad + l).join('\n');
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const usd = (x: number) => `$${x.toFixed(x !== 0 && x < 0.01 ? 6 : 4)}`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const usageLine = (u: TranscriptUsage) => `${n(u.calls)} calls · ${n(u.promptTokens)} prompt + ${n(u.completionTokens)} completion tokens · ${usd(u.costUsd)}`;

function verdictStyle(stopped: string): 'green' | 'yellow' | 'red' {
  if (stopped === 'validated' || stopped === 'reproduced') return 'green';
  if (stopped.startsWith('budget') || stopped.startsWith('stuck')) return 'yellow';
  return 'red';
}

function event(e: TranscriptEvent, toolNames: Map<string, string>, full: boolean): string {
  switch (e.type) {
    case 'message': {
      if (e.role === 'assistant') {
        const calls = (e.toolCalls ?? []).map((c) => {
          toolNames.set(c.id, c.name);
          return `  ${paint('cyan', '→')} ${paint('bold', printable(c.name))} ${shorten(c.arguments, full ? Infinity : 6, full)}`;
        });
        return [`${paint(['bold', 'magenta'], '[assistant]')}${e.content ? ` ${shorten(e.content, 20, full)}` : ''}`, ...calls].join('\n');
      }
      if (e.role === 'tool') return `${paint('blue', `[${printable(toolNames.get(e.toolCallId ?? '') ?? 'tool')} result]`)}\n${indent(shorten(e.content, 15, full))}`;
      return `${paint(['bold', e.role === 'system' ? 'gray' : 'white'], `[${e.role}]`)}\n${indent(shorten(e.content, e.role === 'system' ? 3 : 40, full))}`;
    }
    case 'model-call': {
      const est = e.usage.estimated ? ' (counted here: the endpoint reported none)' : '';
      const head = `── turn ${e.turn} · ${n(e.usage.promptTokens)} in / ${n(e.usage.completionTokens)} out${est} · ${usd(e.costUsd)} · ${secs(e.durationMs)}`;
      const extra = [e.cut ? 'reply cut at the output cap' : '', e.error ? `failed: ${printable(e.error)}` : '', `reserved ${n(e.reserved.promptTokens)} + ${n(e.reserved.outputTokens)} tokens, ${usd(e.reserved.costUsd)}`]
        .filter(Boolean)
        .join(' · ');
      return paint(e.error ? 'red' : 'dim', `${head} (${extra})`);
    }
    case 'tool':
      return paint('dim', `   ${e.ok ? '✓' : '✗'} ${printable(e.name)} ${e.durationMs} ms, ${n(e.outputChars)} chars${e.truncated ? ', cut' : ''}`);
    case 'budget':
      return paint(['bold', 'yellow'], `── ${e.reason}${e.detail ? `: ${printable(e.detail)}` : ''}`);
    case 'stuck':
      return paint(['bold', 'yellow'], `── ${printable(e.reason)}`);
    case 'submit':
      return paint(['bold', verdictStyle(e.status)], `── submitted ${printable(e.id)} (${printable(e.files.join(', '))}): ${e.status}${e.reason ? `: ${printable(e.reason)}` : ''}`);
    case 'note':
      return paint('dim', `── note: ${printable(e.message)}`);
  }
}

function attempt(a: TranscriptAttempt, full: boolean): string {
  const names = new Map<string, string>();
  const head = paint(['bold', 'underline'], `Attempt ${a.n} (temperature ${a.temperature}, seed ${a.seed}, started ${a.startedAt})`);
  const foot = `${paint(['bold', verdictStyle(a.stopped)], `attempt ${a.n}: ${printable(a.stopped)}`)} · ${usageLine(a.usage)} · ${secs(a.durationMs)}`;
  return [head, ...a.events.map((e) => event(e, names, full)), foot].join('\n');
}

export function formatTranscript(t: Transcript, options: { full?: boolean } = {}): string {
  const full = options.full ?? false;
  const s = t.settings;
  const header = [
    paint('bold', `tracefix ${t.kind} transcript · incident ${printable(t.incidentId)}`),
    `model ${printable(t.model)} at ${printable(t.endpoint)} · temperature ${s.temperature} · ${s.stream ? 'streamed' : 'not streamed'}`,
    `limits: ${s.maxTurns} turns per attempt · ${n(s.maxTokens)} tokens · ${usd(s.maxCostUsd)} · ${secs(s.timeoutMs)} · ${s.attempts} attempts · stuck after ${s.stuckTurns} turns without an edit`,
    `price: $${t.price.inputPerMTok} in / $${t.price.outputPerMTok} out per million tokens (${t.price.source})`,
    ...t.notes.map((note) => paint('yellow', `note: ${printable(note)}`)),
    `tools: ${t.tools.join(', ')}`,
  ];
  const total = `${paint(['bold', verdictStyle(t.stopped)], `result: ${printable(t.stopped || '(unfinished)')}`)} · ${usageLine(t.usage)}`;
  return [header.join('\n'), ...t.attempts.map((a) => attempt(a, full)), total].join('\n\n') + '\n';
}

export async function replay(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { full: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const run = parsed.positionals[0];
  if (!run || parsed.positionals.length > 1) throw new UsageError(`give one run\n\n${USAGE}`);
  let dataDir: string | undefined;
  const file = await resolveTranscript(run, () => (dataDir ??= loadConfig().dataDir));
  if (!file) {
    const where = dataDir ? ` or ${path.join(dataDir, 'runs', run, TRANSCRIPT)}` : '';
    throw new UsageError(`no transcript for "${printable(run)}": not a transcript file, a directory with ${TRANSCRIPT}, or a run id${where}`);
  }
  let transcript: Transcript;
  try {
    transcript = Transcript.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    throw new UsageError(`${file} is not a tracefix transcript: ${printable((error as Error).message).slice(0, 500)}`);
  }
  process.stdout.write(formatTranscript(transcript, { full: parsed.values.full ?? false }));
  return 0;
}
