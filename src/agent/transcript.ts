// Records one agent run as it happens and writes it as `transcript.json` (schemas/transcript.ts).
// It holds the endpoint without userinfo and never the key; it is rewritten after every attempt,
// so a crash mid-run still leaves the attempts before it.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transcript, TRANSCRIPT_VERSION, type TranscriptAttempt, type TranscriptEvent } from '../../schemas/transcript.ts';
import type { LlmConfig } from '../config.ts';
import type { Budget, BudgetUsage } from './budget.ts';
import { priceNote } from './prices.ts';

export const TRANSCRIPT_FILE = 'transcript.json';

/** The base URL as a reader may see it: no user, no password, no query (some gateways take a key there). */
export function publicEndpoint(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return '(unparseable URL)';
  }
}

type EventInput = TranscriptEvent extends infer E ? (E extends { t: number } ? Omit<E, 't'> : never) : never;

export class AttemptRecorder {
  readonly record: TranscriptAttempt;
  private readonly clock: () => number;
  private readonly budget: Budget;
  private readonly usageAtStart: BudgetUsage;
  private readonly started: number;

  constructor(n: number, temperature: number, seed: number, budget: Budget, clock: () => number) {
    this.clock = clock;
    this.budget = budget;
    this.usageAtStart = budget.snapshot();
    this.started = performance.now();
    this.record = { n, temperature, seed, startedAt: new Date().toISOString(), durationMs: 0, stopped: '', submitted: [], usage: { promptTokens: 0, completionTokens: 0, costUsd: 0, calls: 0 }, events: [] };
  }

  add(event: EventInput): void {
    this.record.events.push({ ...event, t: this.clock() } as TranscriptEvent);
  }

  finish(stopped: string): void {
    this.record.stopped = stopped;
    this.record.durationMs = Math.round(performance.now() - this.started);
    this.record.usage = usageSince(this.budget, this.usageAtStart);
  }
}

/** Usage since `start` (a budget shared with an earlier stage has spent some already). */
export function usageSince(budget: Budget, start: BudgetUsage): BudgetUsage {
  const now = budget.snapshot();
  return {
    promptTokens: now.promptTokens - start.promptTokens,
    completionTokens: now.completionTokens - start.completionTokens,
    costUsd: now.costUsd - start.costUsd,
    calls: now.calls - start.calls,
  };
}

export class TranscriptRecorder {
  readonly transcript: Transcript;
  private readonly budget: Budget;
  private readonly origin = performance.now();
  private readonly usageAtStart: BudgetUsage;

  constructor(input: { kind: Transcript['kind']; incidentId: string; llm: LlmConfig; budget: Budget; tools: string[] }) {
    const { llm, budget } = input;
    this.budget = budget;
    this.usageAtStart = budget.snapshot();
    const note = priceNote(llm.model, budget.price);
    this.transcript = {
      version: TRANSCRIPT_VERSION,
      kind: input.kind,
      incidentId: input.incidentId,
      model: llm.model,
      endpoint: publicEndpoint(llm.baseUrl),
      startedAt: new Date().toISOString(),
      settings: {
        temperature: llm.temperature,
        maxTurns: llm.maxTurns,
        maxTokens: budget.limits.maxTokens,
        maxCostUsd: budget.limits.maxCostUsd,
        timeoutMs: budget.limits.timeoutMs,
        attempts: llm.attempts,
        stuckTurns: llm.stuckTurns,
        maxOutputTokens: llm.maxOutputTokens,
        stream: llm.stream,
      },
      price: { inputPerMTok: budget.price.inputPerMTok, outputPerMTok: budget.price.outputPerMTok, source: budget.price.source },
      notes: note ? [note] : [],
      tools: input.tools,
      attempts: [],
      usage: { promptTokens: 0, completionTokens: 0, costUsd: 0, calls: 0 },
      stopped: '',
    };
  }

  attempt(n: number, temperature: number, seed: number): AttemptRecorder {
    const recorder = new AttemptRecorder(n, temperature, seed, this.budget, () => Math.round(performance.now() - this.origin));
    this.transcript.attempts.push(recorder.record);
    return recorder;
  }

  note(message: string): void {
    this.transcript.notes.push(message);
  }

  finish(stopped: string): void {
    this.transcript.stopped = stopped;
    this.transcript.finishedAt = new Date().toISOString();
    this.transcript.usage = this.usage();
  }

  /** What this run spent (not what a shared budget spent before it). */
  usage(): BudgetUsage {
    return usageSince(this.budget, this.usageAtStart);
  }

  /** Writes `<dir>/transcript.json` atomically; returns its path. */
  async write(dir: string): Promise<string> {
    const file = path.join(dir, TRANSCRIPT_FILE);
    await mkdir(dir, { recursive: true });
    const checked = Transcript.parse({ ...this.transcript, usage: this.usage() });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(checked, null, 2)}\n`);
    await rename(tmp, file);
    return file;
  }
}
