// A local OpenAI-compatible Chat Completions server for tests: a real HTTP server on 127.0.0.1
// that the real `openai` client talks to. POST /v1/chat/completions answers with scripted replies
// (a function of the request received), as JSON or as SSE chunks when the request streams, with
// tool_calls and usage as OpenAI sends them. Every request is recorded and checked:
//   - no forbidden string (raw PII, secret values, the API key) appears anywhere in a body;
//   - injected text from telemetry appears in system/user/tool messages only inside
//     <untrusted-data …> … </untrusted-data> blocks (checked by its own parser, not the agent's);
//   - the Authorization header is `Bearer <key>`, or absent when no key is configured.
// A request that breaks a rule is answered 400 and the violation kept for the test to assert on.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | 'developer';
  content: string | null | { type: string; text?: string }[];
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  temperature?: number;
  seed?: number;
  max_completion_tokens?: number;
  max_tokens?: number;
  [key: string]: unknown;
}

export interface RecordedRequest {
  body: ChatRequest;
  headers: IncomingHttpHeaders;
}

export interface ScriptedReply {
  content?: string;
  toolCalls?: { name: string; arguments: string | Record<string, unknown>; id?: string }[];
  /** Reported usage; null sends none; absent: counted as characters / 4. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  finishReason?: 'stop' | 'tool_calls' | 'length';
  /** Answer with this HTTP error instead of a completion. */
  error?: { status: number; message: string };
  /** Wait this long before answering (a slow model). */
  delayMs?: number;
}

/** The scripted model: what to answer to the n-th request (0-based), given the request. */
export type Script = (request: ChatRequest, index: number) => ScriptedReply;

export interface FakeOpenAIOptions {
  script: Script;
  /** Must never arrive in a request body (raw emails, secret values from the incident). */
  forbidden?: string[];
  /** Attacker-written telemetry text: allowed only inside untrusted-data blocks. */
  injected?: string[];
  /** The key the client must send; also forbidden in bodies. Absent: no Authorization header. */
  apiKey?: string;
}

export interface FakeOpenAI {
  /** The base URL to configure (OPENAI_BASE_URL), ending in /v1. */
  baseUrl: string;
  requests: RecordedRequest[];
  violations: string[];
  close(): Promise<void>;
}

export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) return message.content.map((p) => p.text ?? '').join('');
  return '';
}

/** [start, end) of every <untrusted-data …>…</untrusted-data> block: an independent parser. */
function dataSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('<untrusted-data', from);
    if (open < 0) return spans;
    const tagEnd = text.indexOf('>', open);
    const close = tagEnd < 0 ? -1 : text.indexOf('</untrusted-data>', tagEnd);
    if (close < 0) return spans;
    spans.push([open, close + '</untrusted-data>'.length]);
    from = close + 1;
  }
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) allStrings(v, out);
  return out;
}

export function checkRequest(body: ChatRequest, headers: IncomingHttpHeaders, options: FakeOpenAIOptions): string[] {
  const problems: string[] = [];
  const strings = allStrings(body);
  for (const secret of [...(options.forbidden ?? []), ...(options.apiKey ? [options.apiKey] : [])]) {
    if (strings.some((s) => s.includes(secret))) problems.push(`forbidden value ${JSON.stringify(secret.slice(0, 12))}… reached the model`);
  }
  const auth = headers.authorization;
  if (options.apiKey ? auth !== `Bearer ${options.apiKey}` : auth !== undefined) problems.push(`unexpected Authorization header: ${auth === undefined ? 'none' : 'a different value'}`);
  for (const [i, message] of body.messages.entries()) {
    if (message.role === 'assistant') continue; // the model's own words
    const text = messageText(message);
    const spans = dataSpans(text);
    for (const needle of options.injected ?? []) {
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
        if (!spans.some(([s, e]) => at > s && at + needle.length < e)) problems.push(`injected text outside a data block in message ${i} (${message.role})`);
      }
    }
  }
  return problems;
}

const estimate = (text: string) => Math.ceil(text.length / 4);

async function write(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (!res.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
  return !res.destroyed;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== '/v1/chat/completions') return send(404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(raw) as ChatRequest;
    const index = requests.length;
    requests.push({ body, headers: req.headers });
    const problems = checkRequest(body, req.headers, options);
    if (problems.length) {
      violations.push(...problems.map((p) => `request ${index}: ${p}`));
      return send(400, { error: { message: `fake-openai policy violation: ${problems.join('; ')}`, type: 'invalid_request_error' } });
    }
    const reply = options.script(body, index);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.error) return send(reply.error.status, { error: { message: reply.error.message, type: 'server_error' } });

    const calls = (reply.toolCalls ?? []).map((c, i) => ({
      id: c.id ?? `call_${index}_${i}`,
      type: 'function' as const,
      function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
    }));
    const content = reply.content ?? '';
    const usage =
      reply.usage === null
        ? undefined
        : (reply.usage ?? { prompt_tokens: estimate(raw), completion_tokens: estimate(content + calls.map((c) => c.function.arguments).join('')) });
    const fullUsage = usage && { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const finish = reply.finishReason ?? (calls.length ? 'tool_calls' : 'stop');
    const base = { id: `chatcmpl-${index}`, created: Math.floor(Date.now() / 1000), model: body.model };

    if (!body.stream) {
      return send(200, {
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: content || null, ...(calls.length ? { tool_calls: calls } : {}), refusal: null }, finish_reason: finish, logprobs: null }],
        ...(fullUsage ? { usage: fullUsage } : {}),
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const event = (data: unknown) => write(res, `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...(data as object) })}\n\n`);
    const delta = (d: unknown, finishReason: string | null = null) => event({ choices: [{ index: 0, delta: d, finish_reason: finishReason, logprobs: null }] });
    if (!(await delta({ role: 'assistant', content: '' }))) return;
    for (let i = 0; i < content.length; i += 64) if (!(await delta({ content: content.slice(i, i + 64) }))) return;
    for (const [i, call] of calls.entries()) {
      if (!(await delta({ tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }))) return;
      const args = call.function.arguments;
      for (let k = 0; k < args.length; k += 64) if (!(await delta({ tool_calls: [{ index: i, function: { arguments: args.slice(k, k + 64) } }] }))) return;
    }
    if (!(await delta({}, finish))) return;
    if (body.stream_options?.include_usage && fullUsage) if (!(await event({ choices: [], usage: fullUsage }))) return;
    if (await write(res, 'data: [DONE]\n\n')) res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push(`server error: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    violations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Conversation helpers for scripts. */
export function turnOf(request: ChatRequest): number {
  return request.messages.filter((m) => m.role === 'assistant').length;
}

/** The tool results since the model's last reply. */
export function lastResults(request: ChatRequest): string[] {
  const out: string[] = [];
  for (let i = request.messages.length - 1; i >= 0 && request.messages[i]!.role !== 'assistant'; i--) {
    if (request.messages[i]!.role === 'tool') out.unshift(messageText(request.messages[i]!));
  }
  return out;
}
