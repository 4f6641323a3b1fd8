// Coverage-free localization for the benchmark's direct path (the localizer in src/repair/localize
// is not wired into the harness yet): the failing test's stack frames in the buggy files, innermost
// first; and every code line of the buggy function, at one lower score, for failures that never
// enter the buggy code's frames (a wrong result caught by an assertion in the test).
import path from 'node:path';
import ts from 'typescript';
import type { RankedLocation } from '../../src/repair/templates/types.ts';

export interface Frame {
  file: string;
  line: number;
  function?: string;
}

const FRAME_SCORE = 1;
const FRAME_DECAY = 0.1;
const FUNCTION_LINE_SCORE = 0.5;

/** Frames in `files` (repo-relative), innermost first, from Python tracebacks and Node stacks. */
export function framesIn(output: string, files: readonly string[], workDir: string): Frame[] {
  const wanted = new Set(files);
  const rel = (p: string) => path.relative(workDir, path.resolve(workDir, p.replace(/^file:\/\//, ''))).split(path.sep).join('/');
  const python: Frame[] = [];
  // Python's own format (`File "…", line 5, in func`, pytest --tb=native) and pytest's long and
  // short tracebacks (`path.py:5: in func`): reading only the first, the frames of a default pytest
  // run were never found and the crash-suppression check silently never ran.
  for (const m of output.matchAll(/File "([^"]+)", line (\d+), in (\S+)|^([^\s:][^:\n]*\.py):(\d+): in (\S+)$/gm)) {
    python.push(m[1] ? { file: rel(m[1]), line: Number(m[2]), function: m[3]! } : { file: rel(m[4]!), line: Number(m[5]), function: m[6]! });
  }
  const node: Frame[] = [];
  for (const m of output.matchAll(/^\s+at (?:(?:async )?([^\s(]+) \()?((?:file:\/\/)?\/[^:()]+):(\d+):\d+\)?$/gm)) {
    node.push({ file: rel(m[2]!), line: Number(m[3]), ...(m[1] ? { function: m[1] } : {}) });
  }
  // Python prints the innermost frame last.
  const frames = [...python.reverse(), ...node].filter((f) => wanted.has(f.file));
  const seen = new Set<string>();
  return frames.filter((f) => {
    const k = `${f.file}:${f.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function isCode(line: string, language: 'python' | 'js'): boolean {
  const t = line.trim();
  if (t === '' || t === '}' || t === '{') return false;
  return language === 'python' ? !t.startsWith('#') : !t.startsWith('//') && !t.startsWith('*') && !t.startsWith('/*');
}

/** 1-based lines of `fn`'s body: by the TS AST for JS/TS, by indentation for Python. */
export function functionLines(file: string, content: string, fn: string | undefined): number[] {
  const language = /\.py$/.test(file) ? 'python' : 'js';
  const lines = content.split('\n');
  let first = 1;
  let last = lines.length;
  if (fn && language === 'python') {
    const at = lines.findIndex((l) => new RegExp(`^\\s*(async\\s+)?def\\s+${fn}\\b`).test(l));
    if (at >= 0) {
      const indent = /^\s*/.exec(lines[at]!)![0].length;
      let end = at + 1;
      while (end < lines.length && (lines[end]!.trim() === '' || /^\s*/.exec(lines[end]!)![0].length > indent)) end++;
      [first, last] = [at + 1, end];
    }
  } else if (fn) {
    const sf = ts.createSourceFile(file, content, ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      const named =
        (ts.isFunctionDeclaration(n) && n.name?.text === fn) ||
        (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === fn && !!n.initializer && ts.isFunctionLike(n.initializer));
      if (named) {
        first = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
        last = sf.getLineAndCharacterOfPosition(n.end).line + 1;
        return;
      }
      n.forEachChild(visit);
    };
    visit(sf);
  }
  const out: number[] = [];
  for (let i = first; i <= last; i++) if (isCode(lines[i - 1] ?? '', language)) out.push(i);
  return out;
}

/** The ranking: frames (1.0, 0.9, …), then the function's other lines at 0.5, each once. */
export function frameRanking(frames: readonly Frame[], files: ReadonlyMap<string, string>, fn: string | undefined): RankedLocation[] {
  const out: RankedLocation[] = frames.map((f, i) => ({
    file: f.file,
    line: f.line,
    ...(f.function ? { function: f.function } : {}),
    score: Math.max(FRAME_SCORE - i * FRAME_DECAY, FUNCTION_LINE_SCORE + 0.05),
    reasons: [i === 0 ? 'crash frame of the failing test' : `frame ${i + 1} of the failing test`],
  }));
  const taken = new Set(out.map((l) => `${l.file}:${l.line}`));
  for (const [file, content] of files) {
    for (const line of functionLines(file, content, fn)) {
      if (taken.has(`${file}:${line}`)) continue;
      out.push({ file, line, score: FUNCTION_LINE_SCORE, reasons: [fn ? `a line of ${fn}, the buggy function` : 'a line of the buggy file'] });
    }
  }
  return out;
}
