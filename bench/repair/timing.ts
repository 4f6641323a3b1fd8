// Where a bug's time goes, for the benchmark's per-bug table: wall time per pipeline stage (laps
// of one stopwatch) and every sandbox exec counted and timed on the host side (a wrapper around
// the bug's sandbox, so the repair core is measured exactly as it runs, with nothing added to it).
import type { ExecOptions, ExecResult, Sandbox } from '../../src/sandbox/types.ts';

export interface BugTimings {
  /** Stage name → wall milliseconds, in pipeline order. */
  stages: Record<string, number>;
  /** Sandbox execs of the whole bug and their summed wall time (host side: overhead included). */
  execs: { count: number; ms: number; byCommand?: Record<string, { count: number; ms: number }> };
  /** Candidates validated and their summed validation time (the validator's own durationMs). */
  candidates?: { count: number; ms: number };
}

export class Stopwatch {
  readonly stages: Record<string, number> = {};
  #last = performance.now();

  /** Ends the current stage under `name` (a name given twice adds up). */
  lap(name: string): void {
    const now = performance.now();
    this.stages[name] = Math.round((this.stages[name] ?? 0) + now - this.#last);
    this.#last = now;
  }
}

/** The same sandbox, with each exec counted and timed. */
export function countingSandbox(sandbox: Sandbox): { sandbox: Sandbox; execs: Required<BugTimings['execs']> } {
  const execs = { count: 0, ms: 0, byCommand: {} as Record<string, { count: number; ms: number }> };
  const counted: Sandbox = {
    get id() {
      return sandbox.id;
    },
    get driver() {
      return sandbox.driver;
    },
    exec: async (argv: string[], options?: ExecOptions): Promise<ExecResult> => {
      const started = performance.now();
      try {
        return await sandbox.exec(argv, options);
      } finally {
        const ms = performance.now() - started;
        execs.count++;
        execs.ms += ms;
        // The program and its first argument name the kind of command (`node --test`, `cat --`).
        const kind = commandKind(argv);
        const entry = (execs.byCommand[kind] ??= { count: 0, ms: 0 });
        entry.count++;
        entry.ms += ms;
      }
    },
    readFile: (path) => sandbox.readFile(path),
    writeFile: (path, content) => sandbox.writeFile(path, content),
    diff: () => sandbox.diff(),
    destroy: () => sandbox.destroy(),
  };
  return { sandbox: counted, execs };
}

function commandKind(argv: readonly string[]): string {
  const program = (argv[0] ?? '').split('/').pop() ?? '';
  if ((program === 'sh' || program === 'bash') && argv[1] === '-c') return `${program} -c ${(argv[2] ?? '').trim().split(/\s+/)[0] ?? ''}`;
  // An inline program (`python3 -c`, `node -e`): its size tells the helpers apart.
  if (argv[1] === '-c' || argv[1] === '-e') return `${program} ${argv[1]} (${(argv[2] ?? '').length} chars)`;
  return [program, ...argv.slice(1, 2).filter((a) => a.startsWith('-') || a.length < 24)].join(' ');
}

/** The heaviest kinds of command, `node --test ×40 12.1 s`. */
export function heaviestCommands(execs: BugTimings['execs'], top = 4): string {
  return Object.entries(execs.byCommand ?? {})
    .sort(([, a], [, b]) => b.ms - a.ms)
    .slice(0, top)
    .map(([kind, e]) => `${kind} ×${e.count} ${(e.ms / 1000).toFixed(1)} s`)
    .join(', ');
}

/** `sandbox 0.7 · reproduce 8.1 · …; 212 execs 31.0 s; 40 candidates 25.3 s` (seconds). */
export function describeTimings(t: BugTimings | undefined): string {
  if (!t) return '';
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const stages = Object.entries(t.stages)
    .map(([name, ms]) => `${name} ${s(ms)}`)
    .join(' · ');
  const candidates = t.candidates ? `; ${t.candidates.count} candidates ${s(t.candidates.ms)} s` : '';
  return `${stages}; ${t.execs.count} execs ${s(t.execs.ms)} s${candidates}`;
}
