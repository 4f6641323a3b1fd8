// The repair benchmark's time breakdown (bench/repair/timing.ts): stage laps, every sandbox exec
// counted by kind, and the per-bug column the report adds only when a bug was timed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BugReport } from '../../../bench/repair/harness.ts';
import { markdown } from '../../../bench/repair/report.ts';
import { countingSandbox, describeTimings, heaviestCommands, Stopwatch } from '../../../bench/repair/timing.ts';
import type { ExecOptions, Sandbox } from '../../../src/sandbox/types.ts';

/** A sandbox whose commands take `ms` each and say what they were given. */
function slowSandbox(ms: number): Sandbox & { seen: string[][] } {
  const seen: string[][] = [];
  return {
    id: 'sb',
    driver: 'local',
    seen,
    exec: async (argv: string[], _options?: ExecOptions) => {
      seen.push(argv);
      await new Promise((r) => setTimeout(r, ms));
      return { exitCode: 0, stdout: argv.join(' '), stderr: '', durationMs: ms, timedOut: false, oomKilled: false, truncated: false };
    },
    readFile: async () => 'content',
    writeFile: async () => undefined,
    diff: async () => '',
    destroy: async () => undefined,
  };
}

describe('bench timings', () => {
  it('counts and times every exec by kind, and passes everything through', async () => {
    const inner = slowSandbox(20);
    const { sandbox, execs } = countingSandbox(inner);
    assert.equal((await sandbox.exec(['sh', '-c', 'mkdir -p x; exec "$@"', 'sh', 'pytest'])).stdout, 'sh -c mkdir -p x; exec "$@" sh pytest');
    await sandbox.exec(['python3', '-c', 'print(1)']);
    await sandbox.exec(['/usr/bin/cat', '--', '/tmp/report.xml']);
    await sandbox.exec(['cat', '--', '/tmp/other.xml']);
    assert.equal(await sandbox.readFile('a'), 'content');
    assert.equal(inner.seen.length, 4);
    assert.equal(execs.count, 4);
    assert.ok(execs.ms >= 4 * 15, `${execs.ms} ms`);
    assert.deepEqual(Object.keys(execs.byCommand).sort(), ['cat --', 'python3 -c (8 chars)', 'sh -c mkdir']);
    assert.equal(execs.byCommand['cat --']?.count, 2);
    assert.match(heaviestCommands(execs, 1), /^cat -- ×2 0\.\d s$/);
  });

  it('laps stages in order; a name given twice adds up', async () => {
    const watch = new Stopwatch();
    await new Promise((r) => setTimeout(r, 30));
    watch.lap('reproduce');
    await new Promise((r) => setTimeout(r, 30));
    watch.lap('candidates');
    watch.lap('reproduce');
    assert.deepEqual(Object.keys(watch.stages), ['reproduce', 'candidates']);
    assert.ok(watch.stages.reproduce! >= 25 && watch.stages.candidates! >= 25);
    assert.equal(
      describeTimings({ stages: { reproduce: 1500, candidates: 2250 }, execs: { count: 7, ms: 3100 }, candidates: { count: 2, ms: 2000 } }),
      'reproduce 1.5 · candidates 2.3; 7 execs 3.1 s; 2 candidates 2.0 s',
    );
  });

  it('adds the breakdown column to the per-bug table only when a bug was timed', () => {
    const report = (timings?: BugReport['timings']): BugReport => ({
      id: 'b',
      language: 'node',
      bugType: 'x',
      reproduced: true,
      plausible: false,
      correct: false,
      candidates: { generated: 1, tried: 1, suppressed: 0 },
      timeMs: 4000,
      notes: [],
      ...(timings ? { timings } : {}),
    });
    const untimed = markdown([report()], { corpus: 'c', engine: 'templates' });
    assert.doesNotMatch(untimed, /where the time went/);
    const timed = markdown([report({ stages: { reproduce: 1000 }, execs: { count: 3, ms: 900 } })], { corpus: 'c', engine: 'templates' });
    assert.match(timed, /\| time \| where the time went \(s\) \|/);
    assert.match(timed, /\| 4\.0 s \| reproduce 1\.0; 3 execs 0\.9 s \|/);
  });
});
