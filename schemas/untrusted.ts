// Untrusted text: anything that came from telemetry or a user (messages, log bodies, attribute
// values, file paths, user agents, issue bodies, context lines). A production error can carry text
// written by an attacker ("ignore previous instructions…" in a header or a log line), so a later
// stage must show such text to a model only inside delimited data blocks, never as instructions.
// The marking lives in the schema, so it shows in the generated JSON Schema (`"untrusted": true`)
// and `untrustedPaths()` can list every such field for the prompt builder.
import { z } from 'zod';

/** A capped string from telemetry. The cap is part of the contract: producers cut text to fit. */
export function untrusted(max: number, description?: string): z.ZodString {
  return z
    .string()
    .max(max)
    .meta({
      untrusted: true,
      description: `${description ? `${description}. ` : ''}Untrusted text from telemetry (≤ ${max} chars): present to a model only as delimited data.`,
    });
}

type JsonSchemaNode = {
  untrusted?: boolean;
  $ref?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode | JsonSchemaNode[];
  prefixItems?: JsonSchemaNode[];
  additionalProperties?: JsonSchemaNode | boolean;
  propertyNames?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  allOf?: JsonSchemaNode[];
  $defs?: Record<string, JsonSchemaNode>;
};

/**
 * Every path whose value (or record key) is untrusted text, in a small path language:
 * `a.b` property, `[]` any array item, `.*` any record value, `.<key>` a record's keys,
 * `.**` "and everything below" (a recursive structure such as frame locals).
 * Example: `exception.frames[].contextLine`, `trace.errorSpan.attributes.*`.
 */
export function untrustedPaths(schema: z.ZodType): string[] {
  const root = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchemaNode;
  const defs = root.$defs ?? {};
  const found = new Set<string>();
  const resolve = (ref: string): JsonSchemaNode | undefined => {
    if (ref === '#') return root;
    const name = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
    return name ? defs[name] : undefined;
  };
  const hasUntrusted = (node: JsonSchemaNode, seen: Set<string>): boolean => {
    if (node.untrusted) return true;
    if (node.$ref) {
      if (seen.has(node.$ref)) return false;
      const target = resolve(node.$ref);
      return target ? hasUntrusted(target, new Set([...seen, node.$ref])) : false;
    }
    return children(node).some(([, child]) => hasUntrusted(child, seen));
  };
  const walk = (node: JsonSchemaNode, path: string, stack: readonly string[]): void => {
    if (node.untrusted) found.add(path || '(root)');
    if (node.$ref) {
      const target = resolve(node.$ref);
      if (!target) return;
      // Recursion: say "everything below" once instead of unrolling.
      if (stack.includes(node.$ref)) {
        if (hasUntrusted(target, new Set())) found.add(`${path}.**`);
        return;
      }
      walk(target, path, [...stack, node.$ref]);
      return;
    }
    for (const [segment, child] of children(node)) walk(child, join(path, segment), stack);
  };
  walk(root, '', []);
  return [...found].sort();
}

function join(path: string, segment: string): string {
  if (segment === '') return path;
  if (segment.startsWith('[')) return `${path}${segment}`;
  return path ? `${path}.${segment}` : segment;
}

/** The sub-schemas of a node with the path segment each one adds ('' for unions). */
function children(node: JsonSchemaNode): [string, JsonSchemaNode][] {
  const out: [string, JsonSchemaNode][] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) out.push([key, child]);
  if (node.items && !Array.isArray(node.items)) out.push(['[]', node.items]);
  for (const item of [...(Array.isArray(node.items) ? node.items : []), ...(node.prefixItems ?? [])]) out.push(['[]', item]);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.push(['*', node.additionalProperties]);
  if (node.propertyNames) out.push(['<key>', node.propertyNames]);
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) out.push(['', branch]);
  return out;
}
