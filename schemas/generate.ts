// Writes a JSON Schema file for every contract in schemas/: `node schemas/generate.ts`
// (`--check` exits 1 when a file is missing or stale, for CI). Data-driven: a schema module opts
// in by exporting `CONTRACTS = { <name>: <zod schema> }`, and each entry becomes
// `schemas/<name>.schema.json`. Adding a contract needs no change here.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

const SCHEMAS_DIR = path.dirname(fileURLToPath(import.meta.url));
const SELF = path.basename(fileURLToPath(import.meta.url));

export interface GeneratedSchema {
  name: string;
  /** Absolute path of the `.schema.json` file. */
  file: string;
  /** The file's exact content (2-space JSON + newline): stable, so diffs are reviewable. */
  content: string;
  /** The module that exports the contract, relative to schemas/. */
  module: string;
}

/** Imports every schema module and renders its CONTRACTS; nothing is written. */
export async function generateJsonSchemas(dir = SCHEMAS_DIR): Promise<GeneratedSchema[]> {
  const modules = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== SELF).sort();
  const out: GeneratedSchema[] = [];
  const seen = new Map<string, string>();
  for (const module of modules) {
    const exported = (await import(pathToFileURL(path.join(dir, module)).href)) as { CONTRACTS?: unknown };
    if (!exported.CONTRACTS) continue;
    for (const [name, schema] of Object.entries(exported.CONTRACTS as Record<string, unknown>)) {
      if (!(schema instanceof z.ZodType)) throw new Error(`${module}: CONTRACTS.${name} is not a zod schema`);
      if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`${module}: contract name "${name}" must be kebab-case`);
      const previous = seen.get(name);
      if (previous) throw new Error(`Contract "${name}" is exported by both ${previous} and ${module}`);
      seen.set(name, module);
      const json = { $id: `https://tracefix.dev/schemas/${name}.schema.json`, ...z.toJSONSchema(schema, { io: 'output' }) };
      out.push({ name, module, file: path.join(dir, `${name}.schema.json`), content: `${JSON.stringify(json, null, 2)}\n` });
    }
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const generated = await generateJsonSchemas();
  let stale = 0;
  for (const schema of generated) {
    const current = await readFile(schema.file, 'utf8').catch(() => null);
    if (current === schema.content) continue;
    if (check) {
      stale++;
      console.error(`${path.relative(process.cwd(), schema.file)} is out of date; run node schemas/generate.ts`);
    } else {
      await writeFile(schema.file, schema.content);
      console.log(`wrote ${path.relative(process.cwd(), schema.file)} (from ${schema.module})`);
    }
  }
  return stale ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
