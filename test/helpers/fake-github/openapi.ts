// Request validation against GitHub's own OpenAPI description (@octokit/openapi): every request the
// fake answers is matched to its operation, and its path parameters, query parameters and JSON body
// are checked against that operation's schemas. No request shape in this directory is written by
// hand. The description is 13 MB: it is read once per process. Bodies are checked strictly: a
// property the operation does not define is an error (GitHub would ignore it silently, hiding a
// typo), which is the one tightening added to GitHub's schemas.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}
interface Operation {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
}

export interface MatchedOperation {
  template: string;
  method: string;
  params: Record<string, string>;
  /** Problems with the request; empty when it conforms. */
  problems: string[];
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: Json;
}
let spec: Spec | undefined;
let routes: { template: string; regex: RegExp; names: string[] }[] | undefined;
const bodyValidators = new Map<string, ValidateFunction | null>();
const paramValidators = new Map<string, ValidateFunction>();

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const bodyAjv = addFormats(new Ajv({ strict: false, allErrors: true }));
const paramAjv = addFormats(new Ajv({ strict: false, coerceTypes: true }));
// GitHub's own format name for `owner/name`.
for (const ajv of [bodyAjv, paramAjv]) ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);

function load() {
  if (!spec) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    const loaded = JSON.parse(readFileSync(file, 'utf8')) as Spec;
    spec = loaded;
    routes = Object.keys(loaded.paths).map((template) => {
      const names: string[] = [];
      // A parameter matches one segment, except a trailing {ref}/{path}, which GitHub lets span "/".
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}(\/?)/g, (_m, name: string, slash: string) => {
        names.push(name);
        return `${['ref', 'path'].includes(name) ? '(.+)' : '([^/]+)'}${slash}`;
      });
      return { template, regex: new RegExp(`^${source}$`), names };
    });
    // Fixed segments beat parameters (/git/ref/{ref} vs /git/{x}…): the most literal template first.
    routes.sort((a, b) => b.template.replace(/\{[^}]+\}/g, '').length - a.template.replace(/\{[^}]+\}/g, '').length);
  }
  return { spec, routes: routes! };
}

function resolve(node: unknown, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(n, seen));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Json;
  if (typeof obj.$ref === 'string') {
    if (seen.includes(obj.$ref)) return {};
    const target = obj.$ref.replace(/^#\//, '').split('/').reduce<unknown>((at, key) => (at as Json)[key.replace(/~1/g, '/').replace(/~0/g, '~')], load().spec);
    return resolve(target, [...seen, obj.$ref]);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, resolve(s, seen)])) : resolve(v, seen);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined && !out.oneOf && !out.anyOf && !out.allOf) out.additionalProperties = false;
  return out;
}

function operationParameters(op: Operation, pathItem: Json): Parameter[] {
  const all = [...((pathItem.parameters as Operation['parameters']) ?? []), ...(op.parameters ?? [])];
  return all.map((p) => resolve(p) as Parameter);
}

function paramValidator(key: string, schema: Json): ValidateFunction {
  let v = paramValidators.get(key);
  if (!v) {
    v = paramAjv.compile(schema);
    paramValidators.set(key, v);
  }
  return v;
}

/** The operation for a request, with every way it departs from GitHub's description. */
export function matchOperation(method: string, pathname: string, query: URLSearchParams, body: unknown, hasBody: boolean): MatchedOperation | undefined {
  const { spec, routes } = load();
  const lower = method.toLowerCase();
  for (const route of routes) {
    const m = route.regex.exec(pathname);
    const pathItem = m ? spec.paths[route.template] : undefined;
    const op = pathItem?.[lower];
    if (!m || !op) continue;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
    const problems: string[] = [];
    const parameters = operationParameters(op, pathItem as Json);
    for (const p of parameters.filter((x) => x.in === 'path')) {
      const value = params[p.name];
      if (p.schema && value !== undefined && !paramValidator(`${route.template} ${lower} path ${p.name}`, p.schema)(value)) problems.push(`path parameter ${p.name}=${value} does not match ${JSON.stringify(p.schema)}`);
    }
    const queryParams = parameters.filter((x) => x.in === 'query');
    for (const [name, value] of query) {
      const p = queryParams.find((q) => q.name === name);
      if (!p) problems.push(`query parameter ${name} is not defined for ${method} ${route.template}`);
      else if (p.schema && !paramValidator(`${route.template} ${lower} query ${name}`, p.schema)(value)) problems.push(`query parameter ${name}=${value} does not match ${JSON.stringify(p.schema)}`);
    }
    for (const p of queryParams) if (p.required && !query.has(p.name)) problems.push(`query parameter ${p.name} is required`);
    const key = `${lower} ${route.template}`;
    let validate = bodyValidators.get(key);
    if (validate === undefined) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      validate = schema ? bodyAjv.compile(resolve(schema) as Json) : null;
      bodyValidators.set(key, validate);
    }
    if (validate) {
      if (!hasBody) {
        if (op.requestBody?.required) problems.push('a JSON body is required');
      } else if (!validate(body)) {
        problems.push(...(validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`));
      }
    } else if (hasBody && body !== undefined && ['post', 'patch', 'put'].includes(lower)) {
      problems.push(`${method} ${route.template} takes no JSON body`);
    }
    return { template: route.template, method: lower, params, problems };
  }
  return undefined;
}
