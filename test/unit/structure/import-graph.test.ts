// The layout's rules, checked on the real import graph (test/helpers/import-graph.ts reads it with
// the TypeScript pre-processor): no import cycles, stages import only along the pipeline (a stage
// may use an earlier stage or the foundation, never a later stage or an edge), and nothing in src/
// but the CLI imports workers/. docs/development.md lists the layers.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { importCycles, importEdges, type ImportEdge } from '../../helpers/import-graph.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EDGES = importEdges(ROOT, ['src', 'workers', 'schemas']);

/** Stage folders in pipeline order; a folder may import its own layer's folder and lower layers. */
const LAYERS: readonly (readonly string[])[] = [
  ['schemas', 'src/errors.ts', 'src/error-codes.ts', 'src/timeout.ts', 'src/config.ts', 'src/config-publish.ts', 'src/config-dashboard.ts', 'src/config-llm.ts', 'src/telemetry.ts', 'src/evidence'],
  ['src/store', 'src/sandbox'],
  ['src/queue', 'src/traces', 'src/runners'],
  ['src/workspace'],
  ['src/install'],
  ['src/environment'],
  ['src/intake'],
  ['src/assemble'],
  ['src/reproduce'],
  ['src/repair'],
  ['src/agent'],
  ['src/bisect'],
  ['src/publish'],
  ['src/recurrence', 'src/outcomes'],
  ['src/run'],
];
/** The edges: they start and serve the pipeline, and may import any stage. */
const EDGE_FOLDERS = ['src/server', 'src/dashboard', 'src/cli', 'src/action', 'workers'];

/** `src/repair/select.ts` → `src/repair`; `src/config.ts` → itself; `schemas/run.ts` → `schemas`. */
function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'schemas' || parts[0] === 'workers') return parts[0];
  return parts.length > 2 ? parts.slice(0, 2).join('/') : file;
}

function layerOf(unit: string): number | undefined {
  const index = LAYERS.findIndex((layer) => layer.includes(unit));
  return index < 0 ? undefined : index;
}

const show = (edges: readonly ImportEdge[]) => edges.map((e) => `${e.from} → ${e.to}`).join('\n');

describe('the import graph', () => {
  it('has no cycles, counting type-only imports', () => {
    assert.deepEqual(importCycles(EDGES), []);
  });

  it('places every folder of src/ in a layer or among the edges', () => {
    const units = new Set(EDGES.flatMap((e) => [unitOf(e.from), unitOf(e.to)]));
    const unplaced = [...units].filter((u) => layerOf(u) === undefined && !EDGE_FOLDERS.includes(u));
    assert.deepEqual(unplaced, [], 'add the new folder to LAYERS (and to docs/development.md)');
  });

  it('stages import only earlier stages and the foundation, never an edge or a later stage', () => {
    const against = EDGES.filter((e) => {
      const from = layerOf(unitOf(e.from));
      const to = layerOf(unitOf(e.to));
      if (from === undefined) return false; // an edge may import anything (but see workers/ below)
      if (to === undefined) return true; // a stage importing an edge
      // Same layer: only within the same folder, so two folders never depend on each other.
      return to > from || (to === from && unitOf(e.from) !== unitOf(e.to) && from > 0);
    });
    assert.equal(show(against), '');
  });

  it('nothing in src/ but the CLI imports workers/', () => {
    const intoWorkers = EDGES.filter((e) => e.to.startsWith('workers/') && e.from.startsWith('src/') && !e.from.startsWith('src/cli/'));
    assert.equal(show(intoWorkers), '');
  });

  it('workers/ and the edges import no other edge than the one they belong to, except the dashboard inside the server', () => {
    const allowed = new Set(['src/server>src/dashboard', 'src/dashboard>src/server', 'src/cli>src/server', 'src/cli>src/dashboard', 'src/cli>src/action', 'src/cli>workers']);
    const crossing = EDGES.filter((e) => {
      const from = unitOf(e.from);
      const to = unitOf(e.to);
      return from !== to && EDGE_FOLDERS.includes(from) && EDGE_FOLDERS.includes(to) && !allowed.has(`${from}>${to}`);
    });
    assert.equal(show(crossing), '');
  });
});

describe('the checks can fail', () => {
  it('finds a cycle and an import against the pipeline in a made-up graph', () => {
    const made: ImportEdge[] = [
      { from: 'src/a/x.ts', to: 'src/b/y.ts', typeOnly: true },
      { from: 'src/b/y.ts', to: 'src/a/x.ts', typeOnly: false },
    ];
    assert.deepEqual(importCycles(made), [['src/a/x.ts', 'src/b/y.ts']]);
    assert.ok((layerOf('src/store') ?? 0) < (layerOf('src/repair') ?? 0));
  });
});
