// The model port and its one adapter: the `openai` client against any OpenAI-compatible Chat
// Completions endpoint with tool calls. Streamed (SSE, with usage in the last chunk) or plain
// JSON, as configured. While streaming, the output cap is enforced here too: a reply that runs
// past the tokens the budget reserved is cut and its tool calls dropped, whatever the server
// does with max_completion_tokens. The client never reads the environment (config.ts does) and
// never retries on its own: a retry is another call, and every call goes through the budget.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAI } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsBase, ChatCompletionFunctionTool, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { LlmConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { countOutputTokens } from './tokens.ts';

export interface ModelRequest {
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionFunctionTool[];
  temperature: number;
  seed?: number;
  /** The output the budget reserved for this call. */
  maxOutputTokens: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ModelToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ModelReply {
  content: string;
  toolCalls: ModelToolCall[];
  finishReason: string | null;
  /** As the endpoint reported it; absent when it reported none. */
  usage?: { promptTokens: number; completionTokens: number };
  /** The reply passed the reserved output and was cut while streaming: its tool calls are gone. */
  cut: boolean;
  streamed: boolean;
  durationMs: number;
}

export interface Model {
  complete(request: ModelRequest): Promise<ModelReply>;
}

/** A model call failed. `retriable`: a connection error, 408/409/429 or a 5xx. */
export class ModelError extends AppError {
  readonly retriable: boolean;
  readonly status: number | undefined;
  constructor(message: string, retriable: boolean, status?: number) {
    super('TF_MODEL', message);
    this.retriable = retriable;
    this.status = status;
  }

  override get retryable(): boolean {
    return this.retriable;
  }
}

/** Removes the key from any text that might carry it (an endpoint echoing a header, a proxy's page). */
export function scrubSecret(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

/** Streamed output is counted this often (characters), to cut a runaway reply early. */
const CHECK_EVERY_CHARS = 2048;

export function createModel(llm: LlmConfig): Model {
  const client = new OpenAI({
    baseURL: llm.baseUrl,
    // The client insists on a key; a local endpoint without one gets no Authorization header.
    apiKey: llm.apiKey ?? 'none',
    ...(llm.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    logLevel: 'off',
  });

  const toError = (error: unknown): ModelError => {
    if (error instanceof ModelError) return error;
    if (error instanceof APIUserAbortError) return new ModelError('model call aborted', false);
    if (error instanceof APIConnectionTimeoutError) return new ModelError('model call timed out', true);
    if (error instanceof APIConnectionError) return new ModelError(`cannot reach the model endpoint: ${scrubSecret(error.message, llm.apiKey)}`, true);
    if (error instanceof APIError) {
      const status = error.status;
      const retriable = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
      return new ModelError(`the model endpoint answered ${status ?? 'an error'}: ${scrubSecret(error.message, llm.apiKey).slice(0, 500)}`, retriable, status);
    }
    return new ModelError(`model call failed: ${scrubSecret(String((error as Error)?.message ?? error), llm.apiKey).slice(0, 500)}`, false);
  };

  const params = (request: ModelRequest): ChatCompletionCreateParamsBase => ({
    model: llm.model,
    messages: request.messages,
    tools: request.tools,
    tool_choice: 'auto',
    temperature: request.temperature,
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    [llm.outputParam]: request.maxOutputTokens,
  });

  async function plain(request: ModelRequest): Promise<Omit<ModelReply, 'durationMs'>> {
    const completion = await client.chat.completions.create({ ...params(request), stream: false }, { timeout: request.timeoutMs, ...(request.signal ? { signal: request.signal } : {}) });
    const choice = completion.choices[0];
    const message = choice?.message;
    return {
      content: message?.content ?? '',
      toolCalls: (message?.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : [])),
      finishReason: choice?.finish_reason ?? null,
      ...(completion.usage ? { usage: { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens } } : {}),
      cut: false,
      streamed: false,
    };
  }

  async function streamed(request: ModelRequest): Promise<Omit<ModelReply, 'durationMs'>> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let content = '';
    const calls: { id: string; name: string; arguments: string }[] = [];
    let finishReason: string | null = null;
    let usage: ModelReply['usage'];
    let cut = false;
    let chars = 0;
    let nextCheck = CHECK_EVERY_CHARS;
    try {
      const stream = await client.chat.completions.create(
        { ...params(request), stream: true, stream_options: { include_usage: true } },
        { timeout: request.timeoutMs, signal: controller.signal },
      );
      for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
        if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices[0];
        if (!choice) continue;
        const delta = choice.delta;
        if (delta?.content) {
          content += delta.content;
          chars += delta.content.length;
        }
        for (const d of delta?.tool_calls ?? []) {
          const slot = (calls[d.index] ??= { id: '', name: '', arguments: '' });
          if (d.id) slot.id = d.id;
          if (d.function?.name) slot.name += d.function.name;
          if (d.function?.arguments) {
            slot.arguments += d.function.arguments;
            chars += d.function.arguments.length;
          }
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
        if (chars >= nextCheck) {
          nextCheck = chars + CHECK_EVERY_CHARS;
          const tokens = await countOutputTokens(content, calls.filter(Boolean));
          // Slack for a server whose tokenizer splits differently: it honours its own count.
          if (tokens > request.maxOutputTokens * 1.1 + 32) {
            cut = true;
            controller.abort();
            break;
          }
        }
      }
    } catch (error) {
      if (!(cut && error instanceof APIUserAbortError)) throw error;
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
    return {
      content,
      toolCalls: cut ? [] : calls.filter(Boolean).map((c, i) => ({ ...c, id: c.id || `call_${i}` })),
      finishReason: cut ? 'cut' : finishReason,
      ...(usage ? { usage } : {}),
      cut,
      streamed: true,
    };
  }

  return {
    async complete(request) {
      const started = performance.now();
      try {
        const reply = llm.stream ? await streamed(request) : await plain(request);
        return { ...reply, durationMs: Math.round(performance.now() - started) };
      } catch (error) {
        throw toError(error);
      }
    },
  };
}
