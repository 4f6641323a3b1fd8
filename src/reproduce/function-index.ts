// The function around a line: the innermost function whose body holds it, read with the same
// parsers test synthesis uses (TypeScript's for JS/TS, the sandbox's python `ast` for Python).
// The signature gate uses it because printed function names are not always the function's own
// (jest's source-mapped stacks name a frame after an identifier near the position); localization
// uses it to name ranked lines that are not on the stack.
import type { RepoConfig } from '../../schemas/repo-config.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { analyzeJsModule } from './synthesize/js-module.ts';
import { inspectPythonModules } from './synthesize/python-module.ts';

interface Range {
  name: string;
  start: number;
  end: number;
}

export type FunctionAt = (file: string, line: number) => string | undefined;

export async function functionIndex(sandbox: Sandbox, config: RepoConfig, files: readonly string[]): Promise<FunctionAt> {
  const ranges = new Map<string, Range[]>();
  const py = files.filter((f) => f.endsWith('.py'));
  if (py.length) {
    const infos = await inspectPythonModules(sandbox, config, py).catch(() => ({}));
    for (const [file, info] of Object.entries(infos)) {
      if ('functions' in info) ranges.set(file, info.functions.map((f) => ({ name: f.qualname.replaceAll('.<locals>', ''), start: f.line, end: f.end_line })));
    }
  }
  for (const file of files.filter((f) => /\.[cm]?[jt]sx?$/.test(f))) {
    try {
      const info = analyzeJsModule(await sandbox.readFile(file), file);
      ranges.set(file, info.functions.map((f) => ({ name: f.qualifiedName, start: f.startLine, end: f.endLine })));
    } catch {
      // Unreadable or unparsable: its lines stay unnamed.
    }
  }
  return (file, line) => {
    const inside = (ranges.get(file) ?? []).filter((r) => r.start <= line && line <= r.end);
    inside.sort((a, b) => a.end - a.start - (b.end - b.start));
    return inside[0]?.name;
  };
}
