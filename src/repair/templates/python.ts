// The bridge to the Python helper (python/*.py): its modules travel as JSON on stdin to a small
// loader passed with `python3 -c`, so nothing is written into the workspace and the same call
// works on the host (tests, benchmark) and inside the sandbox (production) through `exec`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ExecFn, RawCandidate } from './types.ts';
import { TEMPLATE_NAMES } from './types.ts';

const MODULES = ['tf_common', 'tf_values', 'tf_guards', 'tf_mutations', 'tf_wider', 'tf_inserts', 'tf_suppression', 'tf_sites', 'tf_main'] as const;

export const PYTHON_HELPER_MODULES: ReadonlyArray<[string, string]> = MODULES.map((name) => [
  name,
  readFileSync(new URL(`./python/${name}.py`, import.meta.url), 'utf8'),
]);

/** Installs the modules from stdin as importable modules, then hands the request to tf_main. */
export const PYTHON_LOADER = `
import importlib.abc, importlib.util, json, sys
payload = json.loads(sys.stdin.read())
sources = dict(payload["modules"])
class Loader(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, self) if name in sources else None
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        exec(compile(sources[module.__name__], module.__name__ + ".py", "exec"), module.__dict__)
sys.meta_path.insert(0, Loader())
import tf_main
tf_main.main(payload["request"])
`;

const PYTHON_ENV = { PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' };

/** Runs one helper request and returns its parsed JSON answer. */
export async function runPythonHelper(exec: ExecFn, request: unknown, timeoutMs = 60_000): Promise<unknown> {
  const stdin = JSON.stringify({ modules: PYTHON_HELPER_MODULES, request });
  const r = await exec(['python3', '-c', PYTHON_LOADER], { stdin, timeoutMs, env: PYTHON_ENV });
  if (r.exitCode !== 0) throw new Error(`The Python template helper failed (exit ${r.exitCode}): ${r.stderr.trim().slice(-2000)}`);
  return JSON.parse(r.stdout) as unknown;
}

const HelperCandidates = z.object({
  candidates: z.array(
    z.object({
      template: z.enum(TEMPLATE_NAMES),
      line: z.number().int(),
      description: z.string(),
      edits: z.array(z.object({ start: z.number().int().min(0), end: z.number().int().min(0), text: z.string() })),
    }),
  ),
  error: z.string().optional(),
});

/** Candidates for the ranked `lines` of one Python file. A file that does not parse yields none. */
export async function pythonCandidates(file: string, text: string, lines: readonly number[], exec: ExecFn): Promise<RawCandidate[]> {
  const answer = HelperCandidates.parse(await runPythonHelper(exec, { mode: 'candidates', source: text, lines }));
  return answer.candidates.map((c) => ({ ...c, file }));
}

/**
 * `python3` on the host: for tests and the benchmark, and for parse-only requests (the helper never
 * executes the code it reads). Production repairs pass the sandbox's exec instead.
 */
export const hostExec: ExecFn = (argv, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      // A fixed PATH and nothing of tracefix's own environment (config.ts alone reads process.env).
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), options.timeoutMs) : undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ exitCode: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
    child.stdin.end(options.stdin ?? '');
  });
