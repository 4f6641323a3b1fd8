// The LLM agent's part of the environment (src/agent/), spread into config.ts's schema: any
// OpenAI-compatible endpoint, the model, and the budgets of a run. config.ts stays the one reader of
// process.env; this file only shapes what it read.
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));
const positiveInt = z.coerce.number().int().positive();
const url = z.url({ protocol: /^https?$/ });
const onOff = z.enum(['on', 'off']);
/** Model name → USD per million tokens, in one variable (TRACEFIX_LLM_PRICES). */
const priceTable = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return {};
    try {
      const parsed = z.record(z.string().min(1), z.strictObject({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() })).safeParse(JSON.parse(v));
      if (parsed.success) return parsed.data;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object like {"my-model":{"inputPerMTok":0.5,"outputPerMTok":1.5}} (USD per million tokens, 0 or more)' });
    return z.NEVER;
  });
/** Each key is the environment variable's name; the README's configuration table lists them. */
export const LLM_ENV = {
  /** The LLM agent: any OpenAI-compatible Chat Completions endpoint with tool calls. No model
   * configured (TRACEFIX_MODEL unset) means the offline template engine repairs alone. */
  OPENAI_BASE_URL: optionalString.pipe(url.optional()),
  OPENAI_API_KEY: optionalString,
  TRACEFIX_MODEL: optionalString,
  TRACEFIX_LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.2),
  TRACEFIX_LLM_MAX_TURNS: positiveInt.max(1000).default(30),
  /** Prompt + completion tokens of one run, every attempt and model call together. */
  TRACEFIX_LLM_MAX_TOKENS: positiveInt.default(400_000),
  TRACEFIX_LLM_MAX_COST_USD: z.coerce.number().positive().default(2),
  TRACEFIX_LLM_TIMEOUT_MS: positiveInt.default(15 * 60 * 1000),
  TRACEFIX_LLM_ATTEMPTS: positiveInt.max(10).default(2),
  TRACEFIX_LLM_STUCK_TURNS: positiveInt.max(1000).default(8),
  TRACEFIX_LLM_MAX_OUTPUT_TOKENS: positiveInt.max(1_000_000).default(4096),
  TRACEFIX_LLM_PRICES: priceTable,
  TRACEFIX_LLM_STREAM: onOff.default('on'),
  /** `max_tokens` for servers that predate `max_completion_tokens`. */
  TRACEFIX_LLM_OUTPUT_PARAM: z.enum(['max_completion_tokens', 'max_tokens']).default('max_completion_tokens'),
  TRACEFIX_LLM_TOOL_OUTPUT_CHARS: positiveInt.min(1000).max(1_000_000).default(12_000),
};

/** USD per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** The LLM agent's endpoint and budgets (src/agent/). */
export type LlmConfig = Readonly<{
  /** Chat Completions base URL, e.g. `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  /** Absent for local endpoints that need none. Never logged, never sent to a sandbox or a prompt. */
  apiKey: string | undefined;
  model: string;
  /** @defaultValue 0.2 */
  temperature: number;
  /** Model calls per attempt. @defaultValue 30 */
  maxTurns: number;
  /** Prompt + completion tokens of one run (all attempts). @defaultValue 400000 */
  maxTokens: number;
  /** Cost of one run in USD (all attempts), by the price table. @defaultValue 2 */
  maxCostUsd: number;
  /** Wall clock of one run. @defaultValue 15 minutes */
  timeoutMs: number;
  /** Attempts (fresh conversations, different seed and temperature) while the budget lasts. @defaultValue 2 */
  attempts: number;
  /** An attempt with no edit in this many turns is stuck. @defaultValue 8 */
  stuckTurns: number;
  /** Completion tokens one call may produce (less when the budget has less left). @defaultValue 4096 */
  maxOutputTokens: number;
  /** Configured prices, merged over the agent's built-in table. */
  prices: Readonly<Record<string, Readonly<ModelPrice>>>;
  /** Streamed responses (SSE): the output cap is enforced while reading. @defaultValue true */
  stream: boolean;
  outputParam: 'max_completion_tokens' | 'max_tokens';
  /** Characters of one tool result the model sees; the rest is cut with a marker. @defaultValue 12000 */
  toolOutputChars: number;
}>;

const OPENAI_API_URL = 'https://api.openai.com/v1';

/** The LLM section: present when a model is named. The endpoint is OPENAI_BASE_URL, or OpenAI's
 * own when only a key is given; a base URL without a model is a mistake worth stopping for. */
export function llmConfig(e: z.infer<z.ZodObject<typeof LLM_ENV>>): LlmConfig | undefined {
  const fail = (problem: string): never => {
    throw new ConfigError(`Invalid configuration. ${problem}`, [problem]);
  };
  if (!e.TRACEFIX_MODEL) {
    if (e.OPENAI_BASE_URL) fail('TRACEFIX_MODEL: required when OPENAI_BASE_URL is set (the model name the endpoint serves)');
    return undefined;
  }
  const baseUrl = e.OPENAI_BASE_URL ?? (e.OPENAI_API_KEY ? OPENAI_API_URL : fail('OPENAI_BASE_URL: required when TRACEFIX_MODEL is set (or OPENAI_API_KEY, for api.openai.com)'));
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey: e.OPENAI_API_KEY,
    model: e.TRACEFIX_MODEL,
    temperature: e.TRACEFIX_LLM_TEMPERATURE,
    maxTurns: e.TRACEFIX_LLM_MAX_TURNS,
    maxTokens: e.TRACEFIX_LLM_MAX_TOKENS,
    maxCostUsd: e.TRACEFIX_LLM_MAX_COST_USD,
    timeoutMs: e.TRACEFIX_LLM_TIMEOUT_MS,
    attempts: e.TRACEFIX_LLM_ATTEMPTS,
    stuckTurns: e.TRACEFIX_LLM_STUCK_TURNS,
    maxOutputTokens: e.TRACEFIX_LLM_MAX_OUTPUT_TOKENS,
    prices: e.TRACEFIX_LLM_PRICES,
    stream: e.TRACEFIX_LLM_STREAM === 'on',
    outputParam: e.TRACEFIX_LLM_OUTPUT_PARAM,
    toolOutputChars: e.TRACEFIX_LLM_TOOL_OUTPUT_CHARS,
  };
}

