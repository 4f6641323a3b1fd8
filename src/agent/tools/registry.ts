// Tool calls in, tool results out. Arguments are parsed with the tool's zod schema; anything
// wrong (unknown tool, arguments that are not JSON or not valid, a handler that throws) goes
// back to the model as an error result, never up the stack. Results are capped: the status
// line is ours and short, untrusted text is cut inside its data block with a marker.
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { capText, renderBlock } from '../data-block.ts';
import type { Tool, ToolContext, ToolOutcome } from './types.ts';

export interface ToolResult {
  outcome: ToolOutcome;
  /** The tool message's content as the model reads it. */
  content: string;
  truncated: boolean;
}

/** The Chat Completions `tools` parameter. */
export function toolSpecs(tools: readonly Tool[]): ChatCompletionFunctionTool[] {
  return tools.map((tool) => {
    const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return { type: 'function', function: { name: tool.name, description: tool.description, parameters } };
  });
}

/** The tool message text: status line, then each data block (cut to share `maxChars`). */
export function renderOutcome(name: string, outcome: ToolOutcome, maxChars: number): { content: string; truncated: boolean } {
  const status = `${outcome.ok ? '' : 'error: '}${outcome.summary}`;
  const blocks = outcome.data ?? [];
  let truncated = false;
  const share = Math.max(500, Math.floor((maxChars - status.length) / Math.max(1, blocks.length)) - 60);
  const rendered = blocks.map((b) => {
    const cut = capText(b.text, share, name === 'read_file' ? 'read a smaller line range' : 'narrow the request to see the rest');
    truncated ||= cut.truncated;
    return renderBlock({ id: b.id, text: cut.text });
  });
  return { content: [status, ...rendered].join('\n'), truncated };
}

function argumentError(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.join('.') : '(arguments)'}: ${i.message}`)
    .join('; ');
}

export async function dispatch(tools: readonly Tool[], call: { name: string; arguments: string }, context: ToolContext, maxChars: number): Promise<ToolResult> {
  const finish = (outcome: ToolOutcome): ToolResult => ({ outcome, ...renderOutcome(call.name, outcome, maxChars) });
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) {
    const name = call.name.slice(0, 64).replace(/[^\w.-]/g, '_');
    return finish({ ok: false, summary: `unknown tool "${name}"; the tools are: ${tools.map((t) => t.name).join(', ')}` });
  }
  let raw: unknown;
  try {
    raw = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (error) {
    return finish({ ok: false, summary: `the arguments of ${tool.name} are not valid JSON (${(error as Error).message.slice(0, 200)}); send one JSON object` });
  }
  const parsed = tool.schema.safeParse(raw);
  if (!parsed.success) return finish({ ok: false, summary: `invalid arguments for ${tool.name}: ${argumentError(parsed.error)}` });
  try {
    return finish(await tool.run(parsed.data, context));
  } catch (error) {
    context.log?.warn({ err: error, tool: tool.name }, 'Agent tool failed');
    return finish({ ok: false, summary: `${tool.name} failed`, data: [{ id: `${tool.name}:error`, text: String((error as Error)?.message ?? error) }] });
  }
}
