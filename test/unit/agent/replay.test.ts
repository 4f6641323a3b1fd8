// The replay's formatting: readable, and safe on a terminal whatever the transcript holds.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import type { Transcript } from '../../../schemas/transcript.ts';
import { formatTranscript, printable, resolveTranscript } from '../../../src/cli/replay.ts';

const transcript: Transcript = {
  version: 1,
  kind: 'repair',
  incidentId: 'inc_1',
  model: 'm',
  endpoint: 'http://127.0.0.1:1/v1',
  startedAt: '2025-07-01T12:00:00.000Z',
  finishedAt: '2025-07-01T12:01:00.000Z',
  settings: { temperature: 0.2, maxTurns: 30, maxTokens: 400000, maxCostUsd: 2, timeoutMs: 900000, attempts: 1, stuckTurns: 8, maxOutputTokens: 4096, stream: true },
  price: { inputPerMTok: 15, outputPerMTok: 75, source: 'default' },
  notes: ['model "m" has no price'],
  tools: ['read_file', 'submit'],
  attempts: [
    {
      n: 1, temperature: 0.2, seed: 1, startedAt: '2025-07-01T12:00:00.000Z', durationMs: 1500, stopped: 'budget: max cost', submitted: [],
      usage: { promptTokens: 100, completionTokens: 10, costUsd: 0.00225, calls: 1 },
      events: [
        { type: 'message', t: 0, role: 'user', content: 'fix \u001b[31mred\u001b[0m it' },
        { type: 'model-call', t: 5, turn: 1, reserved: { promptTokens: 120, outputTokens: 4096, costUsd: 0.31 }, usage: { promptTokens: 100, completionTokens: 10, estimated: false }, costUsd: 0.00225, durationMs: 800, finishReason: 'tool_calls', streamed: true },
        { type: 'message', t: 6, role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.js"}' }] },
        { type: 'message', t: 7, role: 'tool', content: 'a.js: lines 1-1 of 1', toolCallId: 'c1' },
        { type: 'budget', t: 8, reason: 'budget: max cost', detail: 'spent too much' },
      ],
    },
  ],
  usage: { promptTokens: 100, completionTokens: 10, costUsd: 0.00225, calls: 1 },
  stopped: 'budget: max cost',
};

it('prints header, turns, tool calls, results and events', () => {
  const out = formatTranscript(transcript);
  assert.match(out, /^tracefix repair transcript · incident inc_1\nmodel m at http:\/\/127\.0\.0\.1:1\/v1 · temperature 0\.2 · streamed\n/);
  assert.match(out, /note: model "m" has no price/);
  assert.match(out, /── turn 1 · 100 in \/ 10 out · \$0\.002250 · 0\.8 s \(reserved 120 \+ 4,096 tokens, \$0\.3100\)/);
  assert.match(out, /\[assistant\]\n {2}→ read_file \{"path":"a\.js"\}/);
  assert.match(out, /\[read_file result\]\n {4}a\.js: lines 1-1 of 1/);
  assert.match(out, /── budget: max cost: spent too much/);
  assert.match(out, /result: budget: max cost · 1 calls · 100 prompt \+ 10 completion tokens · \$0\.002250\n$/);
});

it('never sends control characters from the transcript to the terminal', () => {
  const out = formatTranscript(transcript);
  assert.ok(!out.includes('\u001b'), 'no raw ESC (and no color: stdout is not a TTY here)');
  assert.ok(out.includes('fix \\x1b[31mred\\x1b[0m it'));
  assert.equal(printable('a\tb\nc\u0007\u009b'), 'a\tb\nc\\x07\\x9b');
});

it('finds a transcript by file, directory or run id', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tracefix-replay-'));
  try {
    const runDir = path.join(root, 'runs', 'run_42');
    await mkdir(runDir, { recursive: true });
    await writeFile(path.join(runDir, 'transcript.json'), '{}');
    const file = path.join(runDir, 'transcript.json');
    assert.equal(await resolveTranscript(file, () => root), file);
    assert.equal(await resolveTranscript(runDir, () => root), file);
    assert.equal(await resolveTranscript('run_42', () => root), file);
    assert.equal(await resolveTranscript('run_43', () => root), undefined);
    assert.equal(await resolveTranscript('../runs/run_42', () => path.join(root, 'x')), undefined);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
