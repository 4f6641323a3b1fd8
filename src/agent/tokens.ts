// Token counts for the budget: the prompt of the next call before it is sent (to reserve its
// worst case), and a reply's output when the endpoint reports no usage. Counted with a real BPE
// tokenizer (o200k_base); another model's tokenizer may count more, so prompt counts carry a
// margin. Messages are append-only within a conversation, so each one is counted once.
import type { ChatCompletionFunctionTool, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { loadTokenizer, type CountTokens } from '../assemble/tokens.ts';

/** Headroom for tokenizers that split text finer than o200k_base, and for chat framing. */
export const PROMPT_MARGIN = 1.15;
const PER_MESSAGE = 8;

const counted = new WeakMap<object, number>();

export function tokenizer(): Promise<CountTokens> {
  return loadTokenizer('o200k_base');
}

function messageText(message: ChatCompletionMessageParam): string {
  const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '');
  const calls = 'tool_calls' in message && message.tool_calls ? JSON.stringify(message.tool_calls) : '';
  return content + calls;
}

/** The worst case we assume for a prompt: every message and the tool definitions, with margin. */
export async function estimatePromptTokens(messages: readonly ChatCompletionMessageParam[], tools: readonly ChatCompletionFunctionTool[]): Promise<number> {
  const count = await tokenizer();
  let total = 0;
  for (const message of messages) {
    let n = counted.get(message);
    if (n === undefined) {
      n = count(messageText(message)) + PER_MESSAGE;
      counted.set(message, n);
    }
    total += n;
  }
  let toolTokens = counted.get(tools);
  if (toolTokens === undefined) {
    toolTokens = count(JSON.stringify(tools));
    counted.set(tools, toolTokens);
  }
  return Math.ceil((total + toolTokens) * PROMPT_MARGIN);
}

/** Output tokens of a reply (content and tool-call arguments). */
export async function countOutputTokens(content: string, toolCalls: readonly { name: string; arguments: string }[]): Promise<number> {
  const count = await tokenizer();
  return count(content) + toolCalls.reduce((sum, c) => sum + count(c.name) + count(c.arguments) + 4, 0);
}
