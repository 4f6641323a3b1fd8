// The LLM agent's transcript: every message sent and received, every model call with its tokens,
// cost and timing, every tool call with its result, and every budget or stuck event, per attempt.
// Written as `transcript.json` beside the run's other artifacts; `tracefix replay <run>` reads it
// back through this schema. It never holds the API key; message text from telemetry is as the
// model saw it (redacted by the assembler, inside untrusted-data blocks).
import { z } from 'zod';

export const TRANSCRIPT_VERSION = 1;

const count = z.number().int().nonnegative();
/** Milliseconds since the transcript started: events order themselves by it. */
const at = z.number().nonnegative();

export const TranscriptUsage = z.object({
  promptTokens: count,
  completionTokens: count,
  costUsd: z.number().nonnegative(),
  calls: count,
});
export type TranscriptUsage = z.infer<typeof TranscriptUsage>;

export const TranscriptToolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

export const TranscriptEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    t: at,
    role: z.enum(['system', 'user', 'assistant', 'tool']),
    content: z.string(),
    toolCalls: z.array(TranscriptToolCall).optional(),
    toolCallId: z.string().optional(),
  }),
  z.object({
    type: z.literal('model-call'),
    t: at,
    turn: z.number().int().positive(),
    /** What the budget set aside before the call: its worst case. */
    reserved: z.object({ promptTokens: count, outputTokens: count, costUsd: z.number().nonnegative() }),
    /** As the endpoint reported it, or counted here when it reported none (`estimated`). */
    usage: z.object({ promptTokens: count, completionTokens: count, estimated: z.boolean() }),
    costUsd: z.number().nonnegative(),
    durationMs: z.number().nonnegative(),
    finishReason: z.string().nullable(),
    streamed: z.boolean(),
    /** The reply passed the output cap and was cut while streaming. */
    cut: z.boolean().optional(),
    error: z.string().optional(),
  }),
  z.object({
    type: z.literal('tool'),
    t: at,
    toolCallId: z.string(),
    name: z.string(),
    ok: z.boolean(),
    durationMs: z.number().nonnegative(),
    outputChars: count,
    truncated: z.boolean(),
  }),
  z.object({ type: z.literal('budget'), t: at, reason: z.string(), detail: z.string().optional() }),
  z.object({ type: z.literal('stuck'), t: at, reason: z.string() }),
  z.object({
    type: z.literal('submit'),
    t: at,
    id: z.string(),
    files: z.array(z.string()),
    status: z.enum(['validated', 'rejected', 'error', 'reproduced']),
    reason: z.string().optional(),
  }),
  z.object({ type: z.literal('note'), t: at, message: z.string() }),
]);
export type TranscriptEvent = z.infer<typeof TranscriptEvent>;

export const TranscriptAttempt = z.object({
  n: z.number().int().positive(),
  temperature: z.number(),
  seed: z.number().int(),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  stopped: z.string(),
  /** Candidate ids (repair) or test ids (reproduce) this attempt submitted. */
  submitted: z.array(z.string()),
  usage: TranscriptUsage,
  events: z.array(TranscriptEvent),
});
export type TranscriptAttempt = z.infer<typeof TranscriptAttempt>;

export const Transcript = z
  .object({
    version: z.literal(TRANSCRIPT_VERSION),
    kind: z.enum(['repair', 'reproduce']),
    incidentId: z.string(),
    model: z.string(),
    /** The endpoint's base URL without any userinfo. */
    endpoint: z.string(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().optional(),
    settings: z.object({
      temperature: z.number(),
      maxTurns: count,
      maxTokens: count,
      maxCostUsd: z.number(),
      timeoutMs: count,
      attempts: count,
      stuckTurns: count,
      maxOutputTokens: count,
      stream: z.boolean(),
    }),
    price: z.object({
      inputPerMTok: z.number().nonnegative(),
      outputPerMTok: z.number().nonnegative(),
      source: z.enum(['configured', 'built-in', 'default']),
    }),
    /** Things a reader should know (e.g. the model had no price and a conservative one was used). */
    notes: z.array(z.string()),
    tools: z.array(z.string()),
    attempts: z.array(TranscriptAttempt),
    usage: TranscriptUsage,
    /** `validated`, `reproduced`, `budget: max cost`, `stuck: …`, … */
    stopped: z.string(),
  })
  .meta({ title: 'tracefix agent transcript', description: 'One LLM agent run: messages, tool calls, tokens, cost, timings, budget events.' });
export type Transcript = z.infer<typeof Transcript>;

/** Contracts that schemas/generate.ts writes as `<name>.schema.json`. */
export const CONTRACTS = { transcript: Transcript } as const;
