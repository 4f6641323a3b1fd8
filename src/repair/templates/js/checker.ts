// A type checker over one file, for the templates that need types (same-type variable replacement,
// Promise-returning callees, the implied return value). The standard library's declaration files
// are parsed once per process and shared, so a program costs ~10-30 ms after the first (~0.5 s).
// Imports are not resolved: imported values are `any`, which the templates treat as unknown.
import ts from 'typescript';
import { scriptKind } from './ast.ts';

const libCache = new Map<string, ts.SourceFile | undefined>();

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  allowJs: true,
  checkJs: true,
  noEmit: true,
  strict: true,
  noResolve: true,
  types: [],
  skipLibCheck: true,
};

export interface FileTypes {
  sourceFile: ts.SourceFile;
  checker: ts.TypeChecker;
}

/** A program over `text` alone; its source file has parent pointers set. */
export function checkFile(file: string, text: string): FileTypes {
  // A virtual name keeps the program from reading anything from the repository on disk.
  const ext = /\.[cm]?[jt]sx?$/i.exec(file)?.[0] ?? '.js';
  const name = `/__tracefix_virtual__/input${ext}`;
  const host = ts.createCompilerHost(OPTIONS, true);
  const readLib = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    if (fileName === name) return ts.createSourceFile(fileName, text, languageVersion, true, scriptKind(file));
    if (!libCache.has(fileName)) libCache.set(fileName, readLib(fileName, languageVersion, onError));
    return libCache.get(fileName);
  };
  host.fileExists = (fileName) => fileName === name || ts.sys.fileExists(fileName);
  const program = ts.createProgram([name], OPTIONS, host);
  const sourceFile = program.getSourceFile(name);
  if (!sourceFile) throw new Error('The checker program lost its only file');
  return { sourceFile, checker: program.getTypeChecker() };
}

/** Memoizes checkFile per (file, text) for one generation pass. */
export function lazyTypes(file: string, text: string): () => FileTypes {
  let types: FileTypes | undefined;
  return () => (types ??= checkFile(file, text));
}

/** The node in the checked file at the same span as `node` from another parse of the same text. */
export function sameNode<T extends ts.Node>(types: FileTypes, node: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  const start = node.getStart();
  const end = node.end;
  let found: T | undefined;
  const visit = (n: ts.Node): void => {
    if (found || n.end < start || n.getStart(types.sourceFile) > start) return;
    if (n.getStart(types.sourceFile) === start && n.end === end && test(n)) found = n;
    n.forEachChild(visit);
  };
  types.sourceFile.forEachChild(visit);
  return found;
}

export type ValueKind = 'number' | 'string' | 'boolean' | 'array' | 'null' | 'undefined' | 'object' | 'promise' | 'unknown';

/** A coarse kind of a type: what a default value for it would look like. */
export function kindOfType(checker: ts.TypeChecker, type: ts.Type): ValueKind {
  const f = type.flags;
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'unknown';
  if (f & ts.TypeFlags.NumberLike) return 'number';
  if (f & ts.TypeFlags.StringLike) return 'string';
  if (f & ts.TypeFlags.BooleanLike) return 'boolean';
  if (f & ts.TypeFlags.Null) return 'null';
  if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return 'undefined';
  if (type.isUnion()) {
    const kinds = new Set(type.types.map((t) => kindOfType(checker, t)));
    if (kinds.has('null')) return 'null';
    if (kinds.has('undefined')) return 'undefined';
    return kinds.size === 1 ? [...kinds][0]! : 'unknown';
  }
  if (checker.isArrayType(type) || checker.isTupleType(type)) return 'array';
  if (type.getSymbol()?.getName() === 'Promise') return 'promise';
  if (f & ts.TypeFlags.Object) return 'object';
  return 'unknown';
}

/** The awaited type of a Promise<T>, or the type itself. */
export function awaited(checker: ts.TypeChecker, type: ts.Type): ts.Type {
  return checker.getAwaitedType(type) ?? type;
}
