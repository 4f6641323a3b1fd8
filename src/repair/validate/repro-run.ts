// One run of the reproduction test, as the gates of src/reproduce see it. A synthesized (or agent)
// test, and an existing test given by its runner id, run by id through the runners; an existing
// test given as a file or a shell command (a CI reproduction) runs as reproduceFromTest runs it.
import type { Frame } from '../../../schemas/alert.ts';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Execution } from '../../reproduce/gates.ts';
import { testIdExecution } from '../../reproduce/gates.ts';
import { crashFrame } from '../../reproduce/observe.ts';
import type { Observation } from '../../reproduce/signature.ts';
import { classifyTarget, failureOf, runTarget } from '../../reproduce/test-target.ts';
import { mapToWorkspace } from '../../reproduce/workspace-paths.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import type { Reproduced } from '../../../schemas/run.ts';
import { clip, oneLine } from './clip.ts';

export interface ReproRunInput {
  sandbox: Sandbox;
  config: RepoConfig;
  reproduction: Reproduced;
  workspaceFiles: readonly string[];
  env?: Record<string, string> | undefined;
}

function workspaceFrames(frames: readonly Frame[], files: readonly string[]): Frame[] {
  return frames.map((f) => {
    const rel = (f.absPath ?? f.file) ? mapToWorkspace(f.absPath ?? f.file ?? '', files) : undefined;
    return rel ? { ...f, file: rel } : f;
  });
}

export function reproExecution(input: ReproRunInput): () => Promise<Execution> {
  const { sandbox, config, reproduction: r, workspaceFiles, env } = input;
  const target = r.source === 'existing-test' ? classifyTarget(r.testId, config, workspaceFiles) : ({ kind: 'test-id', testId: r.testId } as const);
  if (target.kind === 'test-id') {
    return testIdExecution({ sandbox, config, testId: r.testId, ...(r.testFile ? { testFile: r.testFile } : {}), workspaceFiles, ...(env ? { env } : {}) });
  }
  // A test file or a command: no runner id to look up (mirrors reproduceFromTest).
  return async () => {
    const started = Date.now();
    const run = await runTarget(sandbox, config, target, env);
    let observation: Observation;
    if (run.passed) observation = { kind: 'passed' };
    else if (run.command?.timedOut || run.results?.raw.timedOut) observation = { kind: 'timeout' };
    else {
      const f = failureOf(run);
      observation = f
        ? { kind: 'failed', ...(f.type ? { type: f.type } : {}), message: f.message, frame: crashFrame(workspaceFrames(f.frames, workspaceFiles), workspaceFiles) }
        : { kind: 'missing', ...(run.problem ? { detail: run.problem } : {}) };
    }
    const status = run.test?.status ?? (run.passed ? 'passed' : observation.kind === 'timeout' ? 'timeout' : 'failed');
    return { observation, status, durationMs: run.results?.raw.durationMs ?? Date.now() - started };
  };
}

/** What a run showed, in a line, for a check's detail. */
export function describeObservation(o: Observation): string {
  switch (o.kind) {
    case 'passed':
      return 'passed';
    case 'skipped':
      return 'skipped';
    case 'missing':
      return `did not run${o.detail ? `: ${clip(oneLine(o.detail), 500)}` : ''}`;
    case 'timeout':
      return `timed out${o.detail ? `: ${clip(oneLine(o.detail), 500)}` : ''}`;
    case 'import-error':
      return `did not load: ${clip(oneLine(`${o.type ? `${o.type}: ` : ''}${o.message}`), 500)}`;
    case 'failed': {
      const where = o.frame ? ` at ${o.frame.file}${o.frame.function ? `:${o.frame.function}` : ''}` : '';
      return `failed: ${clip(oneLine(`${o.type ? `${o.type}: ` : ''}${o.message}`), 500)}${where}`;
    }
  }
}
