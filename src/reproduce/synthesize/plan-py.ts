// One production frame of a Python incident → a pytest/unittest test calling its function, or why
// not. Module-level functions, static and class methods are callable; an instance method needs its
// `self`, which Sentry reports as `<X object at 0x…>` and no test can rebuild: walk up instead.
import type { ArgumentSource } from '../../../schemas/run.ts';
import { pythonFromJs, pythonFromLocal } from '../values/locals.ts';
import { pythonRepr } from '../values/python-render.ts';
import type { PyValue } from '../values/python-value.ts';
import { resolveName, type Resolved, type ValueAdapter } from './inputs.ts';
import { existingTests } from './naming.ts';
import { renderPyTest, type PyArg } from './py-render.ts';
import { detectPyStyle, moduleName, type PyTestStyle } from './py-style.ts';
import { findPyFunction, inspectPythonModules, type PyFunction, type PyModuleInfo } from './python-module.ts';
import { pyFixtureArguments } from './fixtures.ts';
import { combinations, numberForRecordedText, provenanceLines, searchCandidates, type SearchAdapter } from './search.ts';
import type { FramePlan, FrameRef, SynthesisContext, TestCandidate } from './types.ts';

const pyAdapter: ValueAdapter<PyValue> = {
  fromLocal: (local, name) => pythonFromLocal(local, name),
  fromJs: pythonFromJs,
  fill: { toLocal: (v) => pythonRepr(pythonFromJs(v)), absentMeansCut: false },
};

const pySearchAdapter: SearchAdapter<PyValue> = {
  ...pyAdapter,
  kindOf: (v) => {
    switch (v.t) {
      case 'none':
        return null;
      case 'int':
        return 'integer';
      case 'float':
        return 'number';
      case 'str':
        return 'string';
      case 'bool':
        return 'boolean';
      case 'list':
      case 'tuple':
      case 'set':
        return 'array';
      case 'dict':
        return 'object';
      default:
        return 'unknown';
    }
  },
  key: (v) => pythonRepr(v),
};

/** A recorded request text for a parameter typed or named as a number: the number, said so. */
function asTyped(r: Resolved<PyValue>, p: { name: string; annotation?: string | null | undefined }): Resolved<PyValue> {
  if (!r.found || r.value.t !== 'str' || !['request', 'route', 'span'].includes(r.source.source)) return r;
  const n = numberForRecordedText(r.value.v, { name: p.name, type: p.annotation });
  if (n === undefined) return r;
  const value: PyValue = Number.isInteger(n) && !/[.eE]/.test(r.value.v) ? { t: 'int', v: BigInt(n) } : { t: 'float', v: n };
  return { found: true, value, source: { ...r.source, detail: `${r.source.detail ?? r.source.source}, as ${value.t} (the handler converts the text)` } };
}

type Missing = { name: string; annotation: string | null | undefined; reason: string };

export class PyPlanner {
  readonly #ctx: SynthesisContext;
  readonly #modules = new Map<string, PyModuleInfo>();
  #style: PyTestStyle | undefined;

  constructor(ctx: SynthesisContext) {
    this.#ctx = ctx;
  }

  /** Parses every candidate file in one python process (one sandbox exec instead of one per frame). */
  async prepare(files: readonly string[]): Promise<void> {
    const todo = [...new Set(files)].filter((f) => !this.#modules.has(f));
    if (todo.length === 0) return;
    try {
      const infos = await inspectPythonModules(this.#ctx.sandbox, this.#ctx.config, todo);
      for (const f of todo) this.#modules.set(f, infos[f] ?? { error: 'not inspected' });
    } catch (err) {
      for (const f of todo) this.#modules.set(f, { error: (err as Error).message });
    }
  }

  async #styleOf(sourceFile: string): Promise<PyTestStyle> {
    if (this.#style) return this.#style;
    const { config, workspaceFiles, sandbox } = this.#ctx;
    const exampleFile = existingTests(config, workspaceFiles, sourceFile).find((f) => f.endsWith('.py'));
    const text = exampleFile ? await sandbox.readFile(exampleFile).catch(() => undefined) : undefined;
    this.#style = detectPyStyle({
      framework: config.framework === 'unittest' ? 'unittest' : 'pytest',
      ...(exampleFile && text !== undefined ? { example: { file: exampleFile, text } } : {}),
      workspaceFiles,
    });
    return this.#style;
  }

  #resolve(frameIndex: number, name: string): Resolved<PyValue> {
    return resolveName(this.#ctx.bundle, frameIndex, name, pyAdapter);
  }

  #callable(fn: PyFunction): string | undefined {
    if (fn.kind === 'nested') return `${fn.qualname} is defined inside another function: not importable`;
    if (fn.kind === 'method') return `${fn.qualname} is an instance method: its object (self) cannot be rebuilt from the evidence`;
    if (fn.class?.includes('.')) return `${fn.qualname} belongs to a nested class`;
    return undefined;
  }

  #args(fn: PyFunction, frameIndex: number, searched: ReadonlyMap<string, { value: PyValue; source: ArgumentSource }> = new Map(), missing: Missing[] = []): { args: PyArg[]; sources: ArgumentSource[] } | string {
    const args: PyArg[] = [];
    const sources: ArgumentSource[] = [];
    // After a left-out positional parameter, the rest must go by keyword.
    let byKeyword = false;
    const params = fn.kind === 'classmethod' ? fn.params.slice(1) : fn.params;
    for (const p of params) {
      const found = this.#resolve(frameIndex, p.name);
      const given = searched.get(p.name);
      const r: Resolved<PyValue> = given ? { found: true, ...given } : asTyped(found, p);
      if (!r.found) {
        if (p.default) {
          if (p.kind === 'arg' || p.kind === 'posonly') byKeyword = true;
          sources.push({ name: p.name, source: 'default' });
          continue;
        }
        const reason = `no value for parameter ${p.name}${r.reason ? ` (${r.reason})` : ': no local, request field or span attribute has it'}`;
        // A recorded value that cannot be rebuilt (an object repr) is not replaced by a guess.
        if (p.kind === 'vararg' || p.kind === 'kwarg' || r.reason) return reason;
        // Searched later (search.ts): a stand-in keeps the positions; this plan is never rendered.
        missing.push({ name: p.name, annotation: p.annotation, reason });
        args.push({ name: p.name, value: { t: 'none' }, pass: p.kind === 'kwonly' || byKeyword ? 'keyword' : 'positional' });
        continue;
      }
      if (p.kind === 'vararg') {
        if (r.value.t !== 'list' && r.value.t !== 'tuple') return `*${p.name} was not a sequence`;
        if (byKeyword) return `*${p.name} cannot follow a left-out positional parameter`;
        args.push({ name: p.name, value: r.value, pass: 'star' });
      } else if (p.kind === 'kwarg') {
        if (r.value.t !== 'dict') return `**${p.name} was not a dict`;
        args.push({ name: p.name, value: r.value, pass: 'starstar' });
      } else if (p.kind === 'posonly') {
        if (byKeyword) return `the positional-only parameter ${p.name} follows a left-out one`;
        args.push({ name: p.name, value: r.value, pass: 'positional' });
      } else {
        args.push({ name: p.name, value: r.value, pass: p.kind === 'kwonly' || byKeyword ? 'keyword' : 'positional' });
      }
      sources.push(r.source);
    }
    return { args, sources };
  }

  async plan(frame: FrameRef): Promise<FramePlan> {
    await this.prepare([frame.file]);
    const info = this.#modules.get(frame.file);
    if (!info || 'error' in info) return { kind: 'skipped', frame, reason: `cannot parse ${frame.file}: ${info && 'error' in info ? info.error : 'unknown'}` };
    const fn = findPyFunction(info.functions, frame.function, frame.line);
    if (!fn) return { kind: 'skipped', frame, reason: frame.function.startsWith('<') ? `${frame.function} is not a callable function` : `no function ${frame.function || '(unnamed)'} in ${frame.file}` };
    const notCallable = this.#callable(fn);
    if (notCallable) return { kind: 'skipped', frame, reason: notCallable };
    const missing: Missing[] = [];
    const built = this.#args(fn, frame.index, new Map(), missing);
    if (typeof built === 'string') return { kind: 'skipped', frame, reason: `${fn.qualname}: ${built}` };
    if (missing.length > 0) {
      return {
        kind: 'skipped',
        frame,
        reason: `${fn.qualname}: ${missing.map((m) => m.reason).join('; ')}`,
        search: (max) => this.#search(frame, fn, missing, max),
      };
    }
    return this.#candidate(frame, fn, built, []);
  }

  /** Variants with the missing parameters filled by the input search (search.ts), best evidence first. */
  async #search(frame: FrameRef, fn: PyFunction, missing: readonly Missing[], max: number): Promise<TestCandidate[]> {
    const fixtures = await this.#fixtures(frame.file, fn);
    const lists = missing.map((m) =>
      searchCandidates({ bundle: this.#ctx.bundle, frameIndex: frame.index, param: { name: m.name, type: m.annotation }, adapter: pySearchAdapter, fixtures: fixtures[m.name] ?? [] }),
    );
    const out: TestCandidate[] = [];
    for (const combo of combinations(lists, max)) {
      const searched = new Map(combo.map((c, j) => [(missing[j] as Missing).name, { value: c.value, source: c.source }]));
      const built = this.#args(fn, frame.index, searched);
      if (typeof built === 'string') continue;
      const plan = await this.#candidate(frame, fn, built, provenanceLines(built.sources));
      if (plan.kind === 'test') out.push(plan);
    }
    return out;
  }

  /** Literal arguments the repository's tests pass to the function, per parameter name. */
  async #fixtures(sourceFile: string, fn: PyFunction): Promise<Record<string, PyValue[]>> {
    const { config, workspaceFiles, sandbox } = this.#ctx;
    const names = (fn.kind === 'classmethod' ? fn.params.slice(1) : fn.params).map((p) => p.name);
    const merged: Record<string, PyValue[]> = {};
    for (const file of existingTests(config, workspaceFiles, sourceFile).filter((f) => f.endsWith('.py')).slice(0, 20)) {
      const text = await sandbox.readFile(file).catch(() => undefined);
      if (text === undefined || !text.includes(fn.name)) continue;
      for (const [name, values] of Object.entries(pyFixtureArguments(text, fn.name, names))) (merged[name] ??= []).push(...values);
    }
    return merged;
  }

  async #candidate(frame: FrameRef, fn: PyFunction, built: { args: PyArg[]; sources: ArgumentSource[] }, extraHeader: string[]): Promise<FramePlan> {
    const style = await this.#styleOf(frame.file);
    const module = moduleName(frame.file, style.moduleRoot ?? '');
    if (!module) return { kind: 'skipped', frame, reason: `${frame.file} is not importable as a module${style.moduleRoot ? ` under ${style.moduleRoot}` : ''}` };
    const { shortId, header } = this.#ctx;
    const testFile = `${style.dir ? `${style.dir}/` : ''}test_tracefix_${shortId}.py`;
    const content = renderPyTest({ style, module, fn, args: built.args, header: [...header, ...extraHeader], shortId, depth: style.dir ? style.dir.split('/').length : 0 });
    const testId =
      style.framework === 'unittest'
        ? `${testFile.replace(/\.py$/, '').split('/').join('.')}.TracefixIncident${shortId.toUpperCase()}Test.test_reproduces_incident`
        : `${testFile}::test_tracefix_${shortId}`;
    return {
      kind: 'test',
      frame,
      testFile,
      testId,
      content,
      arguments: built.sources,
      description: `${fn.qualname}(${fn.params.map((p) => p.name).join(', ')}) from ${frame.file}`,
    };
  }
}
