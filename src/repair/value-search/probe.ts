// The probe: an instrumented copy of a file where one expression is replaced by a call that
// evaluates the original, records the in-scope values and the original value (one JSON line per
// evaluation), and returns either the original value or the one the override file names. The
// probe's state lives in the process (an evaluation counter), its input and output in a directory
// of the workspace the sandbox can write (PROBE_DIR), so nothing but files crosses the sandbox.
import { SANDBOX_WORKSPACE } from '../../sandbox/types.ts';
import type { ProbeSite } from './types.ts';

/** Workspace-relative directory of the override file and the evaluation log. */
export const PROBE_DIR = '.tracefix-probe';
export const OVERRIDE_FILE = `${PROBE_DIR}/override.json`;
export const LOG_FILE = `${PROBE_DIR}/log.jsonl`;
const ABS = `${SANDBOX_WORKSPACE}/${PROBE_DIR}`;
/** Evaluations recorded per process at most (a loop must not write megabytes). */
const MAX_RECORDS = 400;

const JS_PROBE = (typed: boolean) => {
  const a = typed ? ': any' : '';
  return `
// tracefix value-search probe (temporary; never part of a patch)
function __tfProbe(kind${a}, f${a}, scope${a})${a} {
  const g${a} = globalThis;
  const fs${a} = process.getBuiltinModule('node:fs');
  const s${a} = g.__tfProbeState || (g.__tfProbeState = { n: 0, w: 0, o: undefined });
  if (s.o === undefined) {
    try { s.o = JSON.parse(fs.readFileSync('${ABS}/override.json', 'utf8')); } catch { s.o = { kind: 'none' }; }
  }
  const i = s.n++;
  let orig${a}, err${a}, threw = false;
  try { orig = f(); } catch (e) { err = e; threw = true; }
  const v${a} = {};
  const put = (name${a}, x${a}, depth${a}) => {
    if (typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x))) v[name] = x;
    else if (typeof x === 'string' || Array.isArray(x)) v[name + '.length'] = x.length;
    else if (depth === 0 && x && typeof x === 'object' && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null)) {
      for (const k of Object.keys(x).slice(0, 12)) if (/^[A-Za-z_$][\\w$]*$/.test(k)) put(name + '.' + k, x[k], 1);
    }
  };
  for (const k of Object.keys(scope)) { try { put(k, scope[k], 0); } catch {} }
  // The state's key: the same inputs want the same value (an assertion's message may call again).
  const key = JSON.stringify(v);
  const o = s.o;
  const base = kind === 'c' ? !!orig : orig;
  let r${a} = base;
  if (o.kind === 'all' || (o.kind === 'at' && i === o.index) || (o.kind === 'from' && i >= o.index)) r = o.value;
  else if ((o.kind === 'flip-at' && i === o.index) || o.kind === 'negate') r = !base;
  else if (o.kind === 'delta' && typeof base === 'number') r = base + o.delta;
  else if (o.kind === 'by-state' && Object.prototype.hasOwnProperty.call(o.values, key)) r = o.values[key];
  const prim = (x${a}) => (typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x)) ? x : null);
  if (s.w < ${MAX_RECORDS}) {
    s.w++;
    try { fs.appendFileSync('${ABS}/log.jsonl', JSON.stringify({ i, v, k: key, o: prim(base), r: prim(r), ...(threw ? { e: 1 } : {}) }) + '\\n'); } catch {}
  }
  if (threw && r === base) throw err;
  return r === base ? orig : r;
}
`;
};

const PY_PROBE = `

# tracefix value-search probe (temporary; never part of a patch)
def _tracefix_probe(kind, f, scope):
    import json, math
    st = _tracefix_probe.__dict__.setdefault('state', {'n': 0, 'w': 0, 'o': None})
    if st['o'] is None:
        try:
            with open('${ABS}/override.json') as fh:
                st['o'] = json.load(fh)
        except Exception:
            st['o'] = {'kind': 'none'}
    i = st['n']
    st['n'] += 1
    err = None
    orig = None
    try:
        orig = f()
    except Exception as e:
        err = e
    v = {}
    def put(name, x, depth):
        if isinstance(x, bool) or (isinstance(x, (int, float)) and math.isfinite(x)):
            v[name] = x
        elif isinstance(x, (str, list, tuple, dict, set, frozenset)):
            v['len(%s)' % name] = len(x)
            if depth == 0 and isinstance(x, dict):
                for key in list(x)[:12]:
                    if isinstance(key, str) and key.isidentifier():
                        put('%s[%r]' % (name, key), x[key], 1)
        elif depth == 0 and hasattr(x, '__dict__') and not callable(x) and type(x).__module__ != 'builtins':
            for key, val in list(vars(x).items())[:12]:
                if key.isidentifier() and not key.startswith('_'):
                    put('%s.%s' % (name, key), val, 1)
    for name, x in list(scope.items()):
        if not name.startswith('_'):
            try:
                put(name, x, 0)
            except Exception:
                pass
    # The state's key: the same inputs want the same value (an assertion's message may call again).
    state = json.dumps(v, sort_keys=True)
    o = st['o']
    base = bool(orig) if kind == 'c' else orig
    r = base
    k = o.get('kind')
    if k == 'all' or (k == 'at' and i == o['index']) or (k == 'from' and i >= o['index']):
        r = o['value']
    elif (k == 'flip-at' and i == o['index']) or k == 'negate':
        r = not base
    elif k == 'delta' and isinstance(base, (int, float)) and not isinstance(base, bool):
        r = base + o['delta']
    elif k == 'by-state' and state in o['values']:
        r = o['values'][state]
    def prim(x):
        if isinstance(x, bool):
            return x
        if isinstance(x, (int, float)) and math.isfinite(x):
            return x
        return None
    if st['w'] < ${MAX_RECORDS}:
        st['w'] += 1
        line = {'i': i, 'v': v, 'k': state, 'o': prim(base), 'r': prim(r)}
        if err is not None:
            line['e'] = 1
        try:
            with open('${ABS}/log.jsonl', 'a') as fh:
                fh.write(json.dumps(line) + '\\n')
        except Exception:
            pass
    if err is not None and r is base:
        raise err
    return orig if r is base else r
`;

/** The file with the site's expression replaced by a probe call, and the probe appended. */
export function instrument(text: string, site: ProbeSite, language: 'js' | 'python'): string {
  const kind = site.kind === 'condition' ? 'c' : 'v';
  const expr = text.slice(site.start, site.end);
  if (language === 'python') {
    // locals() is what is in scope at that point, whatever the function assigned before it.
    const call = `_tracefix_probe('${kind}', lambda: (${expr}), locals())`;
    return `${text.slice(0, site.start)}${call}${text.slice(site.end)}${text.endsWith('\n') ? '' : '\n'}${PY_PROBE}`;
  }
  const scope = `{ ${(site.names ?? []).join(', ')} }`;
  const call = `__tfProbe('${kind}', () => (${expr}), ${scope})`;
  const typed = /\.[cm]?tsx?$/i.test(site.file);
  return `${text.slice(0, site.start)}${call}${text.slice(site.end)}\n${JS_PROBE(typed)}`;
}
