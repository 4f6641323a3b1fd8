// One attempt's conversation: model call, tool calls, results, until a tool ends the attempt
// (a validated submission), a budget runs out, the model is stuck or gives up. Before every
// call the budget reserves the call's worst case; after it, the real usage is charged, and a
// reply that pushed the run past a limit is recorded but never acted on. The loop itself never
// submits anything: when it stops for any reason other than a tool's verdict, the caller resets
// the workspace and the attempt ends not-fixed with that reason.
import type { ChatCompletionAssistantMessageParam, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { instrument, type Logger } from '../telemetry.ts';
import type { Budget } from './budget.ts';
import { ModelError, type Model, type ModelReply } from './model.ts';
import { StuckDetector } from './stuck.ts';
import { budgetStop, type AttemptStop } from './stop.ts';
import { countOutputTokens, estimatePromptTokens } from './tokens.ts';
import { dispatch, toolSpecs } from './tools/registry.ts';
import type { Tool, ToolContext } from './tools/types.ts';
import type { AttemptRecorder } from './transcript.ts';

export interface ConversationInput {
  model: Model;
  budget: Budget;
  tools: readonly Tool[];
  context: ToolContext;
  system: string;
  user: string;
  maxTurns: number;
  stuckTurns: number;
  temperature: number;
  seed: number;
  maxOutputTokens: number;
  toolOutputChars: number;
  recorder: AttemptRecorder;
  signal?: AbortSignal;
  log?: Logger;
  progress?: (message: string) => void;
  /** Retries of a model call that failed for a retriable reason. @defaultValue 2 */
  retries?: number;
}

/** Tool calls one reply may make; the rest are answered with an error. */
export const MAX_CALLS_PER_TURN = 8;
/** Assistant text kept in the conversation (a runaway reply must not grow every later prompt). */
const MAX_ASSISTANT_CHARS = 16_000;
const MAX_ARGUMENT_CHARS = 120_000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

export async function converse(input: ConversationInput): Promise<AttemptStop> {
  const { model, budget, tools, context, recorder, log } = input;
  const specs = toolSpecs(tools);
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: input.system },
    { role: 'user', content: input.user },
  ];
  recorder.add({ type: 'message', role: 'system', content: input.system });
  recorder.add({ type: 'message', role: 'user', content: input.user });
  const stuck = new StuckDetector({ stuckTurns: input.stuckTurns });
  const say = (content: string) => {
    messages.push({ role: 'user', content });
    recorder.add({ type: 'message', role: 'user', content });
  };
  let silent = 0;

  for (let turn = 1; ; turn++) {
    if (input.signal?.aborted) return { kind: 'aborted' };
    if (turn > input.maxTurns) {
      recorder.add({ type: 'budget', reason: 'budget: max turns', detail: `${input.maxTurns} model calls in this attempt` });
      return budgetStop('max turns');
    }

    let reply: ModelReply | undefined;
    let reserved: { promptTokens: number; outputTokens: number; costUsd: number } | undefined;
    for (let attempt = 0; ; attempt++) {
      const reservation = budget.reserve(await estimatePromptTokens(messages, specs), input.maxOutputTokens);
      if (!reservation.ok) {
        recorder.add({ type: 'budget', reason: reservation.reason, detail: reservation.detail });
        return budgetStop(reservation.limit);
      }
      reserved = { promptTokens: reservation.promptTokens, outputTokens: reservation.outputTokens, costUsd: reservation.costUsd };
      try {
        const request = {
          messages,
          tools: specs,
          temperature: input.temperature,
          seed: input.seed,
          maxOutputTokens: reservation.outputTokens,
          timeoutMs: Math.max(1000, budget.remainingMs()),
          ...(input.signal ? { signal: input.signal } : {}),
        };
        reply = await instrument('repair.agent.model_call', { 'tracefix.turn': turn, 'tracefix.reserved_output_tokens': reservation.outputTokens }, () => model.complete(request));
        break;
      } catch (error) {
        const e = error instanceof ModelError ? error : new ModelError(String(error), false);
        recorder.add({ type: 'model-call', turn, reserved, usage: { promptTokens: 0, completionTokens: 0, estimated: true }, costUsd: 0, durationMs: 0, finishReason: null, streamed: false, error: e.message });
        if (input.signal?.aborted) return { kind: 'aborted' };
        if (budget.remainingMs() < 2000) return budgetStop('wall clock');
        if (!e.retriable || attempt >= (input.retries ?? 2)) return { kind: 'model-error', message: e.message };
        log?.warn({ status: e.status, attempt }, 'Model call failed; retrying');
        await sleep(Math.min(500 * 3 ** attempt, budget.remainingMs() / 2), input.signal);
      }
    }

    // Charge what the endpoint reports; without a report, what we sent plus what came back (a
    // cut reply: at least the whole reservation, since the server may have produced more).
    const counted = await countOutputTokens(reply.content, reply.toolCalls);
    const usage = reply.usage
      ? { ...reply.usage, estimated: false }
      : { promptTokens: reserved.promptTokens, completionTokens: reply.cut ? Math.max(reserved.outputTokens, counted) : counted, estimated: true };
    const charge = budget.charge(usage);
    recorder.add({
      type: 'model-call',
      turn,
      reserved,
      usage,
      costUsd: charge.costUsd,
      durationMs: reply.durationMs,
      finishReason: reply.finishReason,
      streamed: reply.streamed,
      ...(reply.cut ? { cut: true } : {}),
    });

    const content = reply.content.length > MAX_ASSISTANT_CHARS ? `${reply.content.slice(0, MAX_ASSISTANT_CHARS)}\n[… reply cut at ${MAX_ASSISTANT_CHARS} characters]` : reply.content;
    const calls = reply.toolCalls.map((c, i) => ({ id: c.id || `call_${turn}_${i}`, name: c.name, arguments: c.arguments.length > MAX_ARGUMENT_CHARS ? c.arguments.slice(0, MAX_ARGUMENT_CHARS) : c.arguments }));
    const assistant: ChatCompletionAssistantMessageParam = {
      role: 'assistant',
      content: content || null,
      ...(calls.length ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) } : {}),
    };
    recorder.add({ type: 'message', role: 'assistant', content, ...(calls.length ? { toolCalls: calls } : {}) });

    if (charge.over) {
      recorder.add({ type: 'budget', reason: charge.over.reason, detail: `${charge.over.detail}; the reply was not acted on` });
      return budgetStop(charge.over.limit);
    }
    messages.push(assistant);

    if (reply.cut) {
      say(`Your reply passed the ${reserved.outputTokens}-token limit for one reply and was cut; its tool calls were dropped. Reply briefly, with one tool call at a time.`);
      const reason = stuck.record({ action: `cut:${content.slice(0, 200)}`, observation: 'cut', progress: false, label: 'a reply past the output cap' });
      if (reason) return stop(recorder, reason);
      continue;
    }

    if (calls.length === 0) {
      silent++;
      if (silent >= 2) return { kind: 'gave-up', reason: 'gave up: the model stopped calling tools' };
      say('Continue by calling a tool. When the reproduction passes and the suite is green, call submit.');
      const reason = stuck.record({ action: `text:${content}`, observation: '', progress: false, label: 'a reply without a tool call' });
      if (reason) return stop(recorder, reason);
      continue;
    }
    silent = 0;

    let progress = false;
    const observations: string[] = [];
    for (const [i, call] of calls.entries()) {
      if (i >= MAX_CALLS_PER_TURN) {
        const text = `error: at most ${MAX_CALLS_PER_TURN} tool calls per reply; this one was not run`;
        messages.push({ role: 'tool', tool_call_id: call.id, content: text });
        recorder.add({ type: 'message', role: 'tool', content: text, toolCallId: call.id });
        continue;
      }
      input.progress?.(`turn ${turn}: ${call.name}`);
      const started = performance.now();
      const result = await instrument('repair.agent.tool', { 'tracefix.tool': call.name.slice(0, 64) }, () => dispatch(tools, call, context, input.toolOutputChars));
      messages.push({ role: 'tool', tool_call_id: call.id, content: result.content });
      recorder.add({ type: 'message', role: 'tool', content: result.content, toolCallId: call.id });
      recorder.add({ type: 'tool', toolCallId: call.id, name: call.name, ok: result.outcome.ok, durationMs: Math.round(performance.now() - started), outputChars: result.content.length, truncated: result.truncated });
      if (result.outcome.end) {
        // Calls after the one that ended the attempt are not run; the conversation is over.
        return result.outcome.end;
      }
      progress ||= !!result.outcome.progress;
      observations.push(result.content);
    }
    const reason = stuck.record({
      action: JSON.stringify(calls.map((c) => [c.name, c.arguments])),
      observation: observations.join('\n'),
      progress,
      label: calls.map((c) => `${c.name} ${c.arguments}`).join('; '),
    });
    if (reason) return stop(recorder, reason);
  }
}

function stop(recorder: AttemptRecorder, reason: string): AttemptStop {
  recorder.add({ type: 'stuck', reason });
  return { kind: 'stuck', reason };
}
