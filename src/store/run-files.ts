// Reading a run's output directory (<dataDir>/runs/<runId>/) back: the LLM agent's transcript,
// summarized for the dashboard and the outcome figures (tokens, cost, turns, tool calls).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Transcript } from '../../schemas/transcript.ts';

export interface TranscriptSummary {
  model: string;
  attempts: number;
  /** Model calls, every attempt together. */
  turns: number;
  toolCalls: number;
  failedToolCalls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  stopped: string;
  notes: string[];
}

const RUN_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The run's transcript.json, summarized; null when the run has none (a templates run) or it does
 * not parse (a reader must not fail a page on one bad file). */
export async function readTranscriptSummary(dataDir: string, runId: string): Promise<TranscriptSummary | null> {
  if (!RUN_ID.test(runId) || runId.startsWith('.')) return null;
  let text: string;
  try {
    text = await readFile(path.join(dataDir, 'runs', runId, 'transcript.json'), 'utf8');
  } catch {
    return null;
  }
  let parsed;
  try {
    parsed = Transcript.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const t = parsed.data;
  const events = t.attempts.flatMap((a) => a.events);
  const tools = events.filter((e) => e.type === 'tool');
  return {
    model: t.model,
    attempts: t.attempts.length,
    turns: events.filter((e) => e.type === 'model-call').length,
    toolCalls: tools.length,
    failedToolCalls: tools.filter((e) => !e.ok).length,
    promptTokens: t.usage.promptTokens,
    completionTokens: t.usage.completionTokens,
    costUsd: t.usage.costUsd,
    stopped: t.stopped,
    notes: t.notes,
  };
}
