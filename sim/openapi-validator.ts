/**
 * Validates requests and responses against Etsy's own OpenAPI document, so that both our client and our
 * simulator are held to Etsy's contract rather than to our reading of it (issue 3, item 5).
 *
 * Compilation is lazy and cached per operation: the document is ~900 KB and a test or the benchmark only
 * touches a handful of operations.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMPONENT_ID_PREFIX, rewriteSchema, withRealEtsyForms, type SchemaObject } from './openapi-schema-rewrite';

type Json = SchemaObject[string];

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: SchemaObject }> };
  responses: Record<string, { content?: Record<string, { schema?: SchemaObject }> }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject | ParameterObject[] | undefined>>;
  components: { schemas: Record<string, SchemaObject>; securitySchemes?: Record<string, unknown> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Query and form values as they arrive: raw strings, possibly repeated. Plain values are accepted too. */
export type RawParams =
  | URLSearchParams
  | Record<string, string | number | boolean | readonly (string | number | boolean)[] | undefined>;

export interface RequestInput {
  pathParams?: Record<string, string | number>;
  query?: RawParams;
  headers?: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or for form bodies a string / URLSearchParams / record of raw values. */
  body?: unknown;
  /** Content-Type of the body (parameters after ";" are ignored). */
  contentType?: string;
}

export interface ValidationResult {
  valid: boolean;
  /** Readable messages such as "query.limit must be <= 100". Empty when valid. */
  errors: string[];
}

export interface RequestValidationResult extends ValidationResult {
  /** Path/query/body values converted to the types the schema declares (integers, booleans, arrays). */
  coerced: { pathParams: Record<string, unknown>; query: Record<string, unknown>; body: unknown };
}

export interface ResponseValidationResult extends ValidationResult {
  /** False when the document declares no response for this status (error statuses fall back to ErrorSchema). */
  declared: boolean;
}

export interface OperationInfo {
  operationId: string;
  method: string;
  pathTemplate: string;
  /** Scopes required by the oauth2 security requirement; undefined when the operation needs only the api key. */
  oauthScopes: string[] | undefined;
  requestContentTypes: string[];
}

export interface OperationMatch {
  operationId: string;
  pathParams: Record<string, string>;
}

interface CompiledOperation {
  info: OperationInfo;
  params: ParameterObject[];
  pathValidator: ValidateFunction;
  queryValidator: ValidateFunction;
  bodyValidators: Map<string, { validate: ValidateFunction; schema: SchemaObject }>;
  responseValidators: Map<string, ValidateFunction>;
}

export interface OpenApiValidator {
  validateRequest(operationId: string, input: RequestInput): RequestValidationResult;
  validateResponse(operationId: string, status: number, body: unknown): ResponseValidationResult;
  matchOperation(method: string, path: string): OperationMatch | undefined;
  operation(operationId: string): OperationInfo | undefined;
  operationIds(): string[];
}

/** Reads the vendored, byte-identical Etsy document (src/main/etsy/openapi/etsy-openapi.json). */
export function loadEtsyOpenApiDocument(path?: string): OpenApiDocument {
  const file = path ?? fileURLToPath(new URL('../src/main/etsy/openapi/etsy-openapi.json', import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}

export interface OpenApiValidatorOptions {
  /**
   * 'per-schema' (default) follows the document: it sets no additionalProperties, so unknown body fields pass.
   * 'reject' closes every request-body object that lists its properties — Etsy does reject fields it removed
   * (docs/ETSY_API_NOTES.md §9.13), so a contract test may want to catch them.
   */
  unknownBodyFields?: 'per-schema' | 'reject';
}

export function createOpenApiValidator(
  document: OpenApiDocument = loadEtsyOpenApiDocument(),
  options: OpenApiValidatorOptions = {},
): OpenApiValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Etsy uses descriptive formats such as "ISO 3166-1 alpha-2" that no validator knows: accept anything.
  for (const format of collectFormats(document)) {
    if (!ajv.formats[format]) ajv.addFormat(format, true);
  }
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    // Registering does not compile; ajv compiles a component only when a compiled operation refers to it.
    const rewritten = withRealEtsyForms(name, rewriteSchema(schema) as SchemaObject);
    ajv.addSchema({ ...rewritten, $id: COMPONENT_ID_PREFIX + name });
  }

  const routes = buildRoutes(document);
  const rawOps = new Map<string, { method: string; path: string; op: OperationObject; pathParams: ParameterObject[] }>();
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = (Array.isArray(item['parameters']) ? item['parameters'] : []) as ParameterObject[];
    for (const method of HTTP_METHODS) {
      const op = item[method] as OperationObject | undefined;
      if (op?.operationId) rawOps.set(op.operationId, { method: method.toUpperCase(), path, op, pathParams: shared });
    }
  }
  const compiled = new Map<string, CompiledOperation>();

  function compile(operationId: string): CompiledOperation {
    const cached = compiled.get(operationId);
    if (cached) return cached;
    const raw = rawOps.get(operationId);
    if (!raw) throw new Error(`Unknown Etsy operation: ${operationId}`);
    const params = mergeParams(raw.pathParams, raw.op.parameters ?? []);
    const objectSchema = (location: 'path' | 'query', closed: boolean): SchemaObject => {
      const properties: SchemaObject = {};
      const required: string[] = [];
      for (const p of params.filter((q) => q.in === location)) {
        properties[p.name] = rewriteSchema(p.schema ?? {});
        if (p.required || location === 'path') required.push(p.name);
      }
      // Unknown query parameters are rejected: Etsy ignores them silently, which hides client typos
      // (e.g. "includes[]") — exactly what a contract test should catch.
      return { type: 'object', properties, required, additionalProperties: !closed };
    };
    const security = raw.op.security?.find((s) => s['oauth2'] !== undefined);
    const content = raw.op.requestBody?.content ?? {};
    const entry: CompiledOperation = {
      info: {
        operationId,
        method: raw.method,
        pathTemplate: raw.path,
        oauthScopes: security?.['oauth2'],
        requestContentTypes: Object.keys(content),
      },
      params,
      pathValidator: ajv.compile(objectSchema('path', false)),
      queryValidator: ajv.compile(objectSchema('query', true)),
      bodyValidators: new Map(),
      responseValidators: new Map(),
    };
    for (const [type, media] of Object.entries(content)) {
      let schema = rewriteSchema(media.schema ?? {}) as SchemaObject;
      if (options.unknownBodyFields === 'reject') schema = closeObjects(schema) as SchemaObject;
      entry.bodyValidators.set(type, { validate: ajv.compile(schema), schema });
    }
    compiled.set(operationId, entry);
    return entry;
  }

  function responseValidator(entry: CompiledOperation, status: number): { fn: ValidateFunction; declared: boolean } {
    const responses = rawOps.get(entry.info.operationId)!.op.responses;
    const key = responses[String(status)] ? String(status) : responses['default'] ? 'default' : undefined;
    const cacheKey = key ?? `fallback-${status >= 400 ? 'error' : 'any'}`;
    let fn = entry.responseValidators.get(cacheKey);
    if (!fn) {
      const media = key ? responses[key]?.content?.['application/json'] : undefined;
      // Etsy answers undeclared error statuses (429, a 401 on an operation that lists none, …) with
      // its usual ErrorSchema body, so that is what an undeclared error is checked against.
      const schema: SchemaObject = media?.schema
        ? (rewriteSchema(media.schema) as SchemaObject)
        : status >= 400
          ? { $ref: COMPONENT_ID_PREFIX + 'ErrorSchema' }
          : {};
      fn = ajv.compile(schema);
      entry.responseValidators.set(cacheKey, fn);
    }
    return { fn, declared: key !== undefined };
  }

  return {
    validateRequest(operationId, input) {
      const entry = compile(operationId);
      const errors: string[] = [];
      const pathParams: Record<string, unknown> = {};
      for (const p of entry.params.filter((q) => q.in === 'path')) {
        const value = input.pathParams?.[p.name];
        if (value !== undefined) pathParams[p.name] = coerceValue(String(value), p.schema ?? {});
      }
      if (!entry.pathValidator(pathParams)) errors.push(...formatErrors('path', entry.pathValidator.errors));

      const query = coerceParams(toMultiMap(input.query), (name) => entry.params.find((p) => p.in === 'query' && p.name === name)?.schema);
      if (!entry.queryValidator(query)) errors.push(...formatErrors('query', entry.queryValidator.errors));

      for (const p of entry.params.filter((q) => q.in === 'header' && q.required)) {
        if (headerValue(input.headers, p.name) === undefined) errors.push(`header.${p.name} is required`);
      }

      let body: unknown = input.body;
      const hasBody = input.body !== undefined && input.body !== '';
      if (entry.bodyValidators.size > 0 && hasBody) {
        const type = (input.contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
        const validator = entry.bodyValidators.get(type);
        if (!validator) {
          errors.push(`body content type ${type} is not accepted (expected ${[...entry.bodyValidators.keys()].join(', ')})`);
        } else {
          if (type === 'application/x-www-form-urlencoded') {
            const props = validator.schema['properties'] as SchemaObject | undefined;
            body = coerceParams(toMultiMap(input.body as RawParams | string), (name) => props?.[name] as SchemaObject | undefined);
          }
          if (!validator.validate(body)) errors.push(...formatErrors('body', validator.validate.errors));
        }
      } else if (hasBody && entry.bodyValidators.size === 0) {
        errors.push('body is not expected for this operation');
      } else if (!hasBody && rawOps.get(operationId)!.op.requestBody?.required) {
        errors.push('body is required');
      }
      return { valid: errors.length === 0, errors, coerced: { pathParams, query, body } };
    },

    validateResponse(operationId, status, body) {
      const entry = compile(operationId);
      const { fn, declared } = responseValidator(entry, status);
      const valid = fn(body) as boolean;
      return { valid, errors: valid ? [] : formatErrors('response', fn.errors), declared };
    },

    matchOperation(method, path) {
      const pathname = path.split('?')[0]!;
      const segments = pathname.split('/');
      const upper = method.toUpperCase();
      for (const route of routes) {
        if (route.method !== upper || route.segments.length !== segments.length) continue;
        const pathParams: Record<string, string> = {};
        let ok = true;
        for (let i = 0; i < segments.length && ok; i++) {
          const seg = route.segments[i]!;
          const actual = segments[i]!;
          if (seg.param) {
            if (actual === '') ok = false;
            else pathParams[seg.param] = decodeURIComponent(actual);
          } else if (seg.literal !== actual) ok = false;
        }
        if (ok) return { operationId: route.operationId, pathParams };
      }
      return undefined;
    },

    operation(operationId) {
      return rawOps.has(operationId) ? compile(operationId).info : undefined;
    },

    operationIds() {
      return [...rawOps.keys()];
    },
  };
}

interface Route {
  method: string;
  operationId: string;
  segments: { literal?: string; param?: string }[];
  literalCount: number;
}

function buildRoutes(document: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as OperationObject | undefined;
      if (!op?.operationId) continue;
      const segments = path.split('/').map((s) => {
        const m = /^\{(.+)\}$/.exec(s);
        return m ? { param: m[1]! } : { literal: s };
      });
      routes.push({ method: method.toUpperCase(), operationId: op.operationId, segments, literalCount: segments.filter((s) => s.literal !== undefined).length });
    }
  }
  // "/listings/batch/inventory" must win over "/listings/{listing_id}/inventory": most literal segments first.
  return routes.sort((a, b) => b.literalCount - a.literalCount);
}

/** Adds additionalProperties:false to every object schema that lists properties and says nothing itself. */
function closeObjects(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, closeObjects(sub)]));
    } else out[key] = typeof value === 'object' ? closeObjects(value) : value;
  }
  if (out['properties'] !== undefined && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

function mergeParams(shared: ParameterObject[], own: ParameterObject[]): ParameterObject[] {
  const byKey = new Map<string, ParameterObject>();
  for (const p of [...shared, ...own]) byKey.set(`${p.in}:${p.name}`, p);
  return [...byKey.values()];
}

function collectFormats(document: OpenApiDocument): Set<string> {
  const formats = new Set<string>();
  JSON.stringify(document, (key, value: unknown) => {
    if (key === 'format' && typeof value === 'string') formats.add(value);
    return value;
  });
  return formats;
}

function headerValue(headers: RequestInput['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower && value !== undefined) return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

function toMultiMap(params: RawParams | string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (key: string, value: string): void => {
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  };
  if (params === undefined || params === null) return out;
  if (typeof params === 'string' || params instanceof URLSearchParams) {
    for (const [key, value] of new URLSearchParams(params)) add(key, value);
    return out;
  }
  if (typeof params !== 'object') return out;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) add(key, String(v));
    else add(key, String(value));
  }
  return out;
}

/** Converts raw strings to the declared types; a value that does not convert is left as a string for ajv to reject. */
function coerceParams(params: Map<string, string[]>, schemaOf: (name: string) => SchemaObject | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, values] of params) {
    const schema = schemaOf(name);
    if (!schema) {
      out[name] = values.length === 1 ? values[0] : values;
      continue;
    }
    if (hasType(schema, 'array')) {
      const items = (schema['items'] ?? {}) as SchemaObject;
      // Etsy accepts both repeated keys (OpenAPI form/explode) and comma-separated lists ("listing_ids=1,2,3").
      out[name] = values.flatMap((v) => (v === '' ? [] : v.split(','))).map((v) => coerceValue(v, items));
    } else {
      out[name] = values.length === 1 ? coerceValue(values[0]!, schema) : values.map((v) => coerceValue(v, schema));
    }
  }
  return out;
}

function hasType(schema: SchemaObject, type: string): boolean {
  const declared = schema['type'];
  return declared === type || (Array.isArray(declared) && declared.includes(type));
}

function coerceValue(raw: string, schema: SchemaObject): Json {
  if (hasType(schema, 'integer') && /^-?\d+$/.test(raw)) return Number(raw);
  if (hasType(schema, 'number') && /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  if (hasType(schema, 'boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  if ((schema['nullable'] === true || hasType(schema, 'null')) && raw === 'null') return null;
  return raw;
}

function formatErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  if (!errors) return [];
  return errors.map((e) => {
    const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : e.keyword === 'enum' ? ` (${(e.params as { allowedValues?: unknown[] }).allowedValues?.join(', ')})` : '';
    return `${where}${path ? '.' + path : ''} ${e.message ?? e.keyword}${extra}`;
  });
}
