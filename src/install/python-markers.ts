// PEP 508 environment markers of a Python lockfile (`sys_platform == 'win32'`,
// `python_version < '3.11'`), evaluated by the interpreter the fetch installs for: its `packaging`
// (pip's vendored copy when the host has none) is the reference implementation, so tracefix does not
// carry a marker parser of its own. The interpreter runs isolated (`-I`: no current directory, no
// user site, no PYTHON* variables) from the scratch directory, so nothing of the checkout is
// importable: a repository's own `packaging/` or `json.py` never runs on the host.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InstallError, trimOutput } from './errors.ts';
import { runFetchProcess, type FetchUser } from './fetch-process.ts';

const EVALUATE = `
import json, sys
try:
    from packaging.markers import Marker, default_environment
except ImportError:
    from pip._vendor.packaging.markers import Marker, default_environment
with open(sys.argv[1], encoding="utf-8") as f:
    markers = json.load(f)
results = {}
for text in markers:
    try:
        results[text] = bool(Marker(text).evaluate({"extra": ""}))
    except Exception as error:
        results[text] = "invalid marker: " + str(error)
print(json.dumps({"environment": default_environment(), "results": results}))
`;

export interface MarkerVerdicts {
  /** The interpreter's marker environment (python_full_version, sys_platform, …), for the cache key and messages. */
  environment: Record<string, string>;
  /** Marker text → whether it holds on that interpreter. */
  holds: (marker: string) => boolean;
}

export interface EvaluateMarkersInput {
  markers: readonly string[];
  scratch: string;
  env: Record<string, string>;
  user?: FetchUser;
  /** Where the lockfile came from, for error messages. */
  lockfile: string;
}

export async function evaluateMarkers(input: EvaluateMarkersInput): Promise<MarkerVerdicts> {
  const file = path.join(input.scratch, 'markers.json');
  await writeFile(file, JSON.stringify([...new Set(input.markers)]), { mode: 0o644 });
  const result = await runFetchProcess({
    argv: ['python3', '-I', '-c', EVALUATE, file],
    cwd: input.scratch,
    scratch: input.scratch,
    env: input.env,
    ...(input.user ? { user: input.user } : {}),
    timeoutMs: 60_000,
  }).catch((error: NodeJS.ErrnoException) => {
    throw new InstallError(`python3 is not available on the tracefix host (${error.code ?? error.message}); it evaluates the markers of ${input.lockfile}`);
  });
  if (result.exitCode !== 0) throw new InstallError(`could not evaluate the environment markers of ${input.lockfile} with the host's python3 (exit ${result.exitCode})`, trimOutput(result.output));
  const parsed = JSON.parse(result.output.trim().split('\n').pop() ?? '{}') as { environment?: Record<string, string>; results?: Record<string, boolean | string> };
  const results = parsed.results ?? {};
  for (const [marker, verdict] of Object.entries(results)) {
    if (typeof verdict === 'string') throw new InstallError(`${input.lockfile}: the marker "${marker.slice(0, 200)}" is not valid PEP 508 (${verdict.slice(0, 200)})`);
  }
  return {
    environment: parsed.environment ?? {},
    holds: (marker) => {
      const verdict = results[marker];
      if (verdict === undefined) throw new Error(`marker not evaluated: ${marker}`);
      return verdict === true;
    },
  };
}
