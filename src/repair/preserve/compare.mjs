// tracefix: the behaviour preservation gate's Node side. Usage: node <this> <spec.json>
// Imports the original and the patched copies of one module (written beside it), runs the named
// function on a structured clone of each argument list, and prints one JSON line of outcomes:
// the result's util.inspect text, or the thrown error's constructor name.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { inspect, isDeepStrictEqual } from 'node:util';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function pick(mod, name) {
  const candidates = [mod[name], mod.default?.[name], typeof mod.default === 'function' && mod.default.name === name ? mod.default : undefined, mod['module.exports']?.[name]];
  return candidates.find((f) => typeof f === 'function');
}

// -0 and 0 compare equal (=== does): `0 + -0` is no change of behaviour a caller can see.
const norm = (v, d = 0) =>
  typeof v === 'number' && Object.is(v, -0) ? 0
  : d > 6 || v === null || typeof v !== 'object' ? v
  : Array.isArray(v) ? v.map((x) => norm(x, d + 1))
  : Object.getPrototypeOf(v) === Object.prototype ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x, d + 1)]))
  : v;

async function outcome(fn, args) {
  try {
    const r = await fn(...structuredClone(args));
    return ['ok', inspect(norm(r), { depth: 6, breakLength: Infinity }).slice(0, 500)];
  } catch (e) {
    return ['raise', e?.constructor?.name ?? typeof e];
  }
}

let before;
let after;
try {
  before = pick(await import(pathToFileURL(spec.original).href), spec.function);
  after = pick(await import(pathToFileURL(spec.patched).href), spec.function);
} catch (e) {
  console.log(JSON.stringify({ error: `${e?.name}: ${e?.message}` }));
  process.exit(0);
}
if (!before || !after) {
  console.log(JSON.stringify({ error: `${spec.function} is not exported` }));
  process.exit(0);
}
const results = [];
for (const args of spec.inputs) results.push([await outcome(before, args), await outcome(after, args)]);

// A doc example (`f(2) // => 4`): the call with the function bound to its name, against the
// expected expression, compared structurally. The repository's own doc text, run in the sandbox.
async function example(fn, ex) {
  try {
    const run = new Function(spec.function, `return [(${ex.call}), (${ex.expected})];`);
    const [got, want] = run(fn);
    return isDeepStrictEqual(norm(await got), norm(want));
  } catch {
    return false;
  }
}
const examples = [];
for (const ex of spec.examples ?? []) examples.push([await example(before, ex), await example(after, ex)]);
console.log(JSON.stringify({ results, examples }));
