// One production frame of a JS/TS incident → a test calling its function, or why not. A frame's
// function can be called when it is importable (exported, or a static method of an exported
// class) and every required parameter has a value; otherwise the caller frame is the next try.
import type { ArgumentSource } from '../../../schemas/run.ts';
import { jsTestId } from '../../runners/js-test-ids.ts';
import { jsFromLocal, type JsValue } from '../values/locals.ts';
import { analyzeJsModule, findJsFunction, type JsFunction, type JsModuleInfo, type JsParam } from './js-module.ts';
import { renderJsTest, type JsArg } from './js-render.ts';
import { detectJsStyle, type JsFramework, type JsTestStyle } from './js-style.ts';
import { fromRequestOrSpans, jsRequestObject, resolveName, type Resolved, type ValueAdapter } from './inputs.ts';
import { existingTests } from './naming.ts';
import { jsFixtureArguments } from './fixtures.ts';
import { combinations, numberForRecordedText, provenanceLines, searchCandidates, type SearchAdapter } from './search.ts';
import type { FramePlan, FrameRef, SynthesisContext, TestCandidate } from './types.ts';
import { jsLiteral } from '../values/js-literal.ts';

const jsAdapter: ValueAdapter<JsValue> = { fromLocal: (local, name) => jsFromLocal(local, name), fromJs: (v) => v, fill: { toLocal: (v) => v, absentMeansCut: true } };

/** Parameters an HTTP handler gets that no evidence holds but a small stand-in satisfies. */
const RESPONSE_NAMES = new Set(['res', 'reply', 'response', 'resp']);
const REQUEST_NAMES = new Set(['req', 'request']);

type ObjectPattern = Extract<NonNullable<JsParam['pattern']>, { kind: 'object' }>;

/** One parameter: its value, and where that came from (a destructured one: one record per key). */
type ArgResult = { ok: true; arg: JsArg; sources: ArgumentSource[] } | { ok: false; reason: string; searchable?: boolean };

const jsSearchAdapter: SearchAdapter<JsValue> = {
  ...jsAdapter,
  kindOf: (v) => (v === null || v === undefined ? null : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'boolean' : 'object'),
  key: (v) => jsLiteral(v),
};

/** A recorded request text for a parameter typed or named as a number: the number, said so. */
function asTyped(r: Resolved<JsValue>, p: JsParam): Resolved<JsValue> {
  if (!r.found || typeof r.value !== 'string' || !p.name || !['request', 'route', 'span'].includes(r.source.source)) return r;
  const n = numberForRecordedText(r.value, { name: p.name, type: p.type, defaultText: p.defaultText });
  if (n === undefined) return r;
  return { found: true, value: n, source: { ...r.source, detail: `${r.source.detail ?? r.source.source}, as a number (the handler converts the text)` } };
}

export class JsPlanner {
  readonly #ctx: SynthesisContext;
  readonly #modules = new Map<string, JsModuleInfo | Error>();
  #style: Map<string, JsTestStyle> = new Map();
  #packageType: string | undefined | null = null;

  constructor(ctx: SynthesisContext) {
    this.#ctx = ctx;
  }

  async #module(file: string): Promise<JsModuleInfo | Error> {
    let info = this.#modules.get(file);
    if (!info) {
      try {
        info = analyzeJsModule(await this.#ctx.sandbox.readFile(file), file, (await this.#pkgType()) === 'module' ? 'module' : 'commonjs');
      } catch (err) {
        info = err as Error;
      }
      this.#modules.set(file, info);
    }
    return info;
  }

  async #pkgType(): Promise<string | undefined> {
    if (this.#packageType === null) {
      try {
        const pkg = JSON.parse(await this.#ctx.sandbox.readFile('package.json')) as { type?: unknown };
        this.#packageType = typeof pkg.type === 'string' ? pkg.type : undefined;
      } catch {
        this.#packageType = undefined;
      }
    }
    return this.#packageType;
  }

  async #styleFor(sourceFile: string): Promise<JsTestStyle> {
    const known = this.#style.get(sourceFile);
    if (known) return known;
    const { config, workspaceFiles, sandbox } = this.#ctx;
    const exampleFile = existingTests(config, workspaceFiles, sourceFile).find((f) => /\.[cm]?[jt]sx?$/.test(f));
    const text = exampleFile ? await sandbox.readFile(exampleFile).catch(() => undefined) : undefined;
    const style = detectJsStyle({
      config,
      framework: config.framework as JsFramework,
      ...(exampleFile && text !== undefined ? { example: { file: exampleFile, text } } : {}),
      sourceFile,
      workspaceFiles,
      packageType: await this.#pkgType(),
    });
    this.#style.set(sourceFile, style);
    return style;
  }

  #resolve(frameIndex: number, name: string): Resolved<JsValue> {
    return resolveName(this.#ctx.bundle, frameIndex, name, jsAdapter);
  }

  /**
   * `{ a, b: c }`: an object built key by key, each key resolved on its own (a frame local, a
   * caller's, a request field…), so each gets its own record of where its value came from; keys
   * nothing holds are left out of the object (the function sees undefined, or its default).
   */
  #objectPattern(frameIndex: number, pattern: ObjectPattern, optional: boolean, position: number): ArgResult {
    const label = `{${pattern.keys.map((k) => k.key).join(', ')}}`;
    const value: Record<string, JsValue> = {};
    const sources: ArgumentSource[] = [];
    let found = 0;
    for (const k of pattern.keys) {
      const name = k.key === k.name ? `{${k.key}}` : `{${k.key}: ${k.name}}`;
      const r = this.#resolve(frameIndex, k.name);
      if (r.found) {
        value[k.key] = r.value;
        sources.push({ ...r.source, name });
        found++;
      } else sources.push({ name, source: 'default', detail: 'nothing recorded it: left out of the object' });
    }
    if (found === 0) return optional ? { ok: true, arg: { name: `arg${position + 1}`, value: undefined, omitted: true }, sources: [{ name: label, source: 'default' }] } : { ok: false, reason: `no value for the destructured parameter ${label}` };
    return { ok: true, arg: { name: 'options', value }, sources };
  }

  #arg(frameIndex: number, p: JsParam, position: number): ArgResult {
    const { bundle } = this.#ctx;
    if (p.pattern?.kind === 'object') return this.#objectPattern(frameIndex, p.pattern, p.optional, position);
    if (p.pattern?.kind === 'array') return p.optional ? { ok: true, arg: { name: `arg${position + 1}`, value: undefined, omitted: true }, sources: [{ name: '[…]', source: 'default' }] } : { ok: false, reason: 'an array-destructured parameter cannot be rebuilt' };
    const name = p.name as string;
    const r = asTyped(this.#resolve(frameIndex, name), p);
    if (r.found) {
      if (p.rest && !Array.isArray(r.value)) return { ok: false, reason: `the rest parameter ${name} was not an array` };
      return { ok: true, arg: { name, value: r.value, ...(p.rest ? { spread: true } : {}) }, sources: [r.source] };
    }
    if (REQUEST_NAMES.has(name)) {
      const req = jsRequestObject(bundle);
      if (req !== undefined) return { ok: true, arg: { name, value: req }, sources: [{ name, source: 'request', detail: 'the recorded request' }] };
    }
    if (RESPONSE_NAMES.has(name)) return { ok: true, arg: { name, value: null, stub: 'response' }, sources: [{ name, source: 'stub', detail: 'a response stand-in (node:http ServerResponse and Express/Fastify methods)' }] };
    if (name === 'next') return { ok: true, arg: { name, value: null, stub: 'next' }, sources: [{ name, source: 'stub', detail: 'a no-op next()' }] };
    if (p.optional || p.rest) return { ok: true, arg: { name, value: undefined, omitted: true }, sources: [{ name, source: 'default' }] };
    const why = r.reason ?? fromRequestOrSpans(bundle, name, jsAdapter).found;
    return { ok: false, reason: `no value for parameter ${name}${typeof why === 'string' ? ` (${why})` : ': no local, request field or span attribute has it'}`, searchable: !p.rest && !r.reason };
  }

  #callable(fn: JsFunction): string | undefined {
    if (fn.nested) return `${fn.qualifiedName} is defined inside another function: not importable`;
    if (fn.kind === 'method') return `${fn.qualifiedName} is an instance method: its object cannot be rebuilt from the evidence`;
    if (fn.name === 'constructor') return `${fn.qualifiedName} is a constructor`;
    if (!fn.export) return `${fn.qualifiedName} is not exported`;
    return undefined;
  }

  async plan(frame: FrameRef): Promise<FramePlan> {
    const info = await this.#module(frame.file);
    if (info instanceof Error) return { kind: 'skipped', frame, reason: `cannot read ${frame.file}: ${info.message}` };
    const fn = findJsFunction(info, frame.function, frame.line);
    if (!fn) return { kind: 'skipped', frame, reason: `no function ${frame.function || '(anonymous)'} in ${frame.file}${frame.line ? ` around line ${frame.line}` : ''}` };
    const notCallable = this.#callable(fn);
    if (notCallable) return { kind: 'skipped', frame, reason: notCallable };
    const args: JsArg[] = [];
    const sources: ArgumentSource[][] = [];
    const missing: { position: number; param: JsParam; reason: string }[] = [];
    for (const [i, p] of fn.params.entries()) {
      const r = this.#arg(frame.index, p, i);
      if (!r.ok) {
        if (!r.searchable) return { kind: 'skipped', frame, reason: `${fn.qualifiedName}: ${r.reason}` };
        missing.push({ position: i, param: p, reason: r.reason });
        args.push({ name: p.name ?? `arg${i + 1}`, value: undefined });
        sources.push([]);
        continue;
      }
      args.push(r.arg);
      sources.push(r.sources);
    }
    if (missing.length > 0) {
      return {
        kind: 'skipped',
        frame,
        reason: `${fn.qualifiedName}: ${missing.map((m) => m.reason).join('; ')}`,
        search: (max) => this.#search(frame, fn, args, sources, missing, max),
      };
    }
    return this.#candidate(frame, fn, args, sources.flat(), []);
  }

  /** Variants with the missing parameters filled by the input search (search.ts), best evidence first. */
  async #search(frame: FrameRef, fn: JsFunction, args: JsArg[], sources: ArgumentSource[][], missing: { position: number; param: JsParam }[], max: number): Promise<TestCandidate[]> {
    const fixtures = await this.#fixtures(frame.file, fn.name);
    const lists = missing.map(({ position, param }) =>
      searchCandidates({
        bundle: this.#ctx.bundle,
        frameIndex: frame.index,
        param: { name: param.name as string, type: param.type, defaultText: param.defaultText },
        adapter: jsSearchAdapter,
        fixtures: fixtures[position] ?? [],
      }),
    );
    const out: TestCandidate[] = [];
    for (const combo of combinations(lists, max)) {
      const a = [...args];
      const s = [...sources];
      combo.forEach((c, j) => {
        const position = (missing[j] as { position: number }).position;
        a[position] = { name: (args[position] as JsArg).name, value: c.value };
        s[position] = [c.source];
      });
      out.push(await this.#candidate(frame, fn, a, s.flat(), provenanceLines(s.flat())));
    }
    return out;
  }

  /** Literal arguments the repository's tests pass to the function, per position. */
  async #fixtures(sourceFile: string, fnName: string): Promise<JsValue[][]> {
    const { config, workspaceFiles, sandbox } = this.#ctx;
    const merged: JsValue[][] = [];
    for (const file of existingTests(config, workspaceFiles, sourceFile).filter((f) => /\.[cm]?[jt]sx?$/.test(f)).slice(0, 20)) {
      const text = await sandbox.readFile(file).catch(() => undefined);
      if (text === undefined || !text.includes(fnName)) continue;
      jsFixtureArguments(text, file, fnName).forEach((values, i) => (merged[i] ??= []).push(...values));
    }
    return merged;
  }

  async #candidate(frame: FrameRef, fn: JsFunction, args: JsArg[], sources: ArgumentSource[], extraHeader: string[]): Promise<TestCandidate> {
    const style = await this.#styleFor(frame.file);
    const { shortId, header } = this.#ctx;
    const title = `tracefix incident ${shortId}: ${fn.qualifiedName} as called in production`;
    const testFile = `${style.dir ? `${style.dir}/` : ''}tracefix-${shortId}${style.suffix}`;
    const content = renderJsTest({ style, sourceFile: frame.file, fn, exportForm: fn.export!, args, header: [...header, ...extraHeader], title });
    const names = fn.params.map((p) => p.name ?? '{…}').join(', ');
    return {
      kind: 'test',
      frame,
      testFile,
      testId: jsTestId(testFile, [title]),
      content,
      arguments: sources,
      description: `${fn.qualifiedName}(${names}) from ${frame.file}`,
    };
  }
}
