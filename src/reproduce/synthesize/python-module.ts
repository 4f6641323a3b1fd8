// What a synthesized pytest/unittest test needs to know about a Python module, read with the
// standard `ast` module by the sandbox's own python (so the grammar is the repository's Python
// version, and nothing of the module is imported or run).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RepoConfig } from '../../../schemas/repo-config.ts';
import type { Sandbox } from '../../sandbox/types.ts';
import { PYTHON_ENV } from '../../runners/python-scripts.ts';
import { pythonInterpreter } from '../../runners/shell.ts';

const INSPECT_SOURCE = readFileSync(new URL('../python/inspect-module.py', import.meta.url), 'utf8');

export const PyParam = z.object({
  name: z.string(),
  kind: z.enum(['posonly', 'arg', 'vararg', 'kwonly', 'kwarg']),
  /** Has a default (varargs and kwargs count as having one: they may be empty). */
  default: z.boolean(),
  /** The type hint as written (`list[dict]`, `Optional[int]`), for the input search. */
  annotation: z.string().nullish(),
});
export type PyParam = z.infer<typeof PyParam>;

export const PyFunction = z.object({
  name: z.string(),
  qualname: z.string(),
  line: z.number().int(),
  end_line: z.number().int(),
  async: z.boolean(),
  class: z.string().nullable(),
  kind: z.enum(['function', 'method', 'staticmethod', 'classmethod', 'nested']),
  decorators: z.array(z.string()),
  params: z.array(PyParam),
});
export type PyFunction = z.infer<typeof PyFunction>;

const ModuleInfo = z.union([z.object({ functions: z.array(PyFunction) }), z.object({ error: z.string() })]);
export type PyModuleInfo = z.infer<typeof ModuleInfo>;

/** Functions of each file (workspace-relative paths), parsed in the sandbox. */
export async function inspectPythonModules(sandbox: Sandbox, config: RepoConfig, files: readonly string[]): Promise<Record<string, PyModuleInfo>> {
  if (files.length === 0) return {};
  const python = pythonInterpreter(config.test.command);
  const r = await sandbox.exec([python, '-c', INSPECT_SOURCE, ...files], { env: { ...PYTHON_ENV }, timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw new Error(`python could not inspect ${files.join(', ')}: ${(r.stderr || r.stdout).trim().slice(-500)}`);
  return z.record(z.string(), ModuleInfo).parse(JSON.parse(r.stdout));
}

/** The function a production frame ran: by (qual)name, the one containing the frame's line when
 * several share the name; Python 3.11+ SDKs may send the qualname (`Cart.total`). */
export function findPyFunction(functions: readonly PyFunction[], frameFunction: string | undefined, line: number | undefined): PyFunction | undefined {
  const raw = (frameFunction ?? '').trim();
  if (!raw || raw.startsWith('<')) return undefined; // <module>, <genexpr>, <lambda>: not callable
  const name = raw.split('.').at(-1) as string;
  const contains = (f: PyFunction) => line !== undefined && f.line <= line && line <= f.end_line;
  const named = functions.filter((f) => f.qualname === raw || f.name === name);
  return named.find(contains) ?? named.find((f) => f.qualname === raw) ?? named[0];
}
