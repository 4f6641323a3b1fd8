// The host's end of the in-container runner (runner-script.ts): one attach to the container's
// stdin/stdout, requests written one at a time (the sandbox serializes them), replies parsed off
// the demultiplexed stdout. The channel is a transport only: the caller keeps the wall clock and
// the kill (exec.ts's rules), and caps the reply again, since it comes from inside the sandbox.
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { CappedOutput } from '../output.ts';
import { DockerDemuxer } from './demux.ts';
import { encodeRun, PING, type RunnerRequest } from './runner-script.ts';

export interface RunnerReply {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

/** How long the runner may take to answer the first ping (the container has just started). */
const READY_TIMEOUT_MS = 10_000;
/** The runner's own complaints (stderr), kept for the log. */
const RUNNER_STDERR_BYTES = 4096;

type Waiter = { resolve: (reply: Reply) => void; reject: (error: Error) => void; cap: number; id: string | undefined };
type Reply = { kind: 'ready' | 'absent' } | ({ kind: 'run'; id: string } & RunnerReply);

/** Thrown when the stream ends under a request: the container stopped or was restarted. */
export class RunnerClosedError extends Error {}

export class RunnerChannel {
  readonly #stream: Duplex;
  readonly #logger: Logger | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #waiter: Waiter | undefined;
  #closed = false;
  readonly #stderr = new CappedOutput(RUNNER_STDERR_BYTES);

  private constructor(stream: Duplex, logger: Logger | undefined) {
    this.#stream = stream;
    this.#logger = logger;
    const demuxer = new DockerDemuxer((which, payload) => (which === 'stdout' ? this.#receive(payload) : this.#stderr.push(payload)));
    stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
    const close = () => this.#close();
    stream.once('end', close);
    stream.once('close', close);
    stream.once('error', close);
  }

  /**
   * Attaches to a started container and asks its runner whether it is there. Undefined when the
   * image has no runner (no perl) or it does not answer: the caller uses `docker exec`.
   */
  static async open(container: Docker.Container, logger?: Logger): Promise<RunnerChannel | undefined> {
    let stream: Duplex;
    try {
      stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
    } catch (error) {
      logger?.warn({ err: (error as Error).message }, 'Cannot attach to the sandbox runner; using docker exec');
      return undefined;
    }
    const channel = new RunnerChannel(stream, logger);
    let timer: NodeJS.Timeout | undefined;
    try {
      const ready = await Promise.race([
        channel.#request(PING, 0),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer to ping')), READY_TIMEOUT_MS))),
      ]);
      if (ready.kind === 'ready') return channel;
      logger?.debug({ answer: ready.kind }, 'No runner in the sandbox image; using docker exec');
    } catch (error) {
      logger?.warn({ err: (error as Error).message, stderr: channel.#stderr.text() }, 'The sandbox runner did not answer; using docker exec');
    } finally {
      clearTimeout(timer);
    }
    channel.close();
    return undefined;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs one command; rejects with RunnerClosedError when the stream ends first. */
  async run(request: Omit<RunnerRequest, 'id'>): Promise<RunnerReply> {
    const id = randomBytes(12).toString('hex');
    const reply = await this.#request(encodeRun({ ...request, id }), request.outputBytes, id);
    if (reply.kind !== 'run') throw new Error(`the sandbox runner answered ${reply.kind} to a command`);
    return { exitCode: reply.exitCode, stdout: reply.stdout, stderr: reply.stderr, truncated: reply.truncated };
  }

  /** Detaches (the runner keeps running; a later channel can attach again). */
  close(): void {
    this.#stream.destroy();
    this.#close();
  }

  #request(bytes: Buffer, cap: number, id?: string): Promise<Reply> {
    if (this.#closed) return Promise.reject(new RunnerClosedError('the sandbox runner stream is closed'));
    if (this.#waiter) return Promise.reject(new Error('a sandbox runner request is already in flight'));
    return new Promise<Reply>((resolve, reject) => {
      this.#waiter = { resolve, reject, cap, id };
      this.#stream.write(bytes);
    });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    const stderr = this.#stderr.text().trim();
    if (stderr) this.#logger?.warn({ stderr }, 'The sandbox runner wrote to stderr');
    waiter?.reject(new RunnerClosedError('the sandbox runner stream ended (the container stopped or restarted)'));
  }

  #receive(payload: Buffer): void {
    this.#buffer = this.#buffer.length > 0 ? Buffer.concat([this.#buffer, payload]) : payload;
    for (;;) {
      const parsed = parseReply(this.#buffer, this.#waiter?.cap ?? 0);
      if (parsed === 'incomplete') return;
      const waiter = this.#waiter;
      const unasked =
        parsed !== 'invalid' &&
        (!waiter || (waiter.id === undefined ? parsed.reply.kind === 'run' : parsed.reply.kind !== 'run' || parsed.reply.id !== waiter.id));
      if (parsed === 'invalid' || unasked) {
        // Not a reply to the request in flight: written by something else, or the stream is out
        // of step. Nothing more on it can be trusted to belong to a request: close it.
        this.#logger?.warn({ bytes: this.#buffer.length, expected: waiter ? 'a reply' : 'nothing' }, 'The sandbox runner stream carried something else than the reply');
        this.close();
        return;
      }
      this.#buffer = Buffer.from(this.#buffer.subarray(parsed.used));
      this.#waiter = undefined;
      waiter!.resolve(parsed.reply);
    }
  }
}

const MAGIC = Buffer.from('tfr1 ', 'ascii');
const LINES: Record<string, Reply> = { 'ready\n': { kind: 'ready' }, 'absent\n': { kind: 'absent' } };

/**
 * One reply off the front of `buffer`, or how far it got. `cap` is the request's output cap: the
 * runner never sends more of either output, so a longer field is a forged or broken reply (the
 * host must not buffer without bound what a process inside the sandbox could write there).
 */
export function parseReply(buffer: Buffer, cap: number): { reply: Reply; used: number } | 'incomplete' | 'invalid' {
  if (buffer.length < MAGIC.length) return MAGIC.subarray(0, buffer.length).equals(buffer) ? 'incomplete' : 'invalid';
  if (!buffer.subarray(0, MAGIC.length).equals(MAGIC)) return 'invalid';
  let at = MAGIC.length;
  for (const [line, reply] of Object.entries(LINES)) {
    const bytes = Buffer.from(line, 'ascii');
    const head = buffer.subarray(at, at + bytes.length);
    if (bytes.subarray(0, head.length).equals(head)) return head.length < bytes.length ? 'incomplete' : { reply, used: at + bytes.length };
  }
  const fields: Buffer[] = [];
  while (fields.length < 5) {
    const colon = buffer.indexOf(0x3a, at);
    if (colon < 0) return buffer.length - at > 12 ? 'invalid' : 'incomplete';
    const digits = buffer.subarray(at, colon).toString('ascii');
    if (!/^\d{1,12}$/.test(digits) || Number(digits) > cap + 64) return 'invalid';
    const end = colon + 1 + Number(digits);
    if (buffer.length < end) return 'incomplete';
    fields.push(buffer.subarray(colon + 1, end));
    at = end;
  }
  const [id, code, cut, stdout, stderr] = fields as [Buffer, Buffer, Buffer, Buffer, Buffer];
  const exitCode = Number(code.toString('ascii'));
  if (!Number.isInteger(exitCode)) return 'invalid';
  const out = new CappedOutput(cap);
  out.push(stdout);
  const err = new CappedOutput(cap);
  err.push(stderr);
  return {
    reply: { kind: 'run', id: id.toString('utf8'), exitCode, stdout: out.text(), stderr: err.text(), truncated: cut.toString('ascii') === '1' || out.truncated || err.truncated },
    used: at,
  };
}
