// tracefix: the behaviour preservation gate's Node side. Usage: node <this> <spec.json>
// Imports the original and the patched copies of one module (written beside it), runs the named
// function on a structured clone of each argument list, and prints one JSON line of outcomes:
// the result's util.inspect text, or the thrown error's constructor name.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function pick(mod, name) {
  const candidates = [mod[name], mod.default?.[name], typeof mod.default === 'function' && mod.default.name === name ? mod.default : undefined, mod['module.exports']?.[name]];
  return candidates.find((f) => typeof f === 'function');
}

async function outcome(fn, args) {
  try {
    const r = await fn(...structuredClone(args));
    return ['ok', inspect(r, { depth: 6, breakLength: Infinity }).slice(0, 500)];
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
console.log(JSON.stringify({ results }));
