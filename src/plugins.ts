import { createHash, timingSafeEqual } from 'node:crypto';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from './config.js';
import type { GraphContext } from './context.js';
import { errorBody } from './errors.js';
import type { Logger } from './logger.js';

/**
 * The yoga plugins the gateway adds: request logging, client authentication, operation limits
 * and error codes. Each is small and configured from the validated config only.
 */

/**
 * One log line per HTTP request, with its request id echoed back to the client. Every member of
 * the line is the gateway's own (ids, a path, codes, an operation name), never a header or a body,
 * so it skips the logger's redaction pass, which would look through it for secrets on every
 * request.
 */
export function useRequestLog(
  logger: Logger,
  requestIdOf: (request: Request) => string,
): Plugin<GraphContext> {
  const started = new WeakMap<Request, number>();
  const operations = new WeakMap<Request, string>();
  const codes = new WeakMap<Request, string[]>();
  const accessLog = logger.child({}, { redact: [] });
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onParams({ params, request }) {
      if (typeof params.operationName === 'string') {
        operations.set(request, params.operationName.slice(0, 100));
      }
    },
    onResultProcess({ request, result }) {
      const found = errorCodesOf(result);
      if (found.length > 0) codes.set(request, found);
    },
    onResponse({ request, response }) {
      const requestId = requestIdOf(request);
      response.headers.set('x-request-id', requestId);
      if (!accessLog.isLevelEnabled('info')) return;
      const start = started.get(request);
      accessLog.info(
        {
          requestId,
          method: request.method,
          path: pathOf(request.url),
          status: response.status,
          durationMs:
            start === undefined ? undefined : Math.round((performance.now() - start) * 10) / 10,
          operationName: operations.get(request),
          errorCodes: codes.get(request),
        },
        'request',
      );
    },
  };
}

/** The path of an absolute URL, without building a URL object for it. */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}

function errorCodesOf(result: unknown): string[] {
  const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
  const found: string[] = [];
  for (const r of results) {
    for (const error of r?.errors ?? []) {
      const code = error.extensions?.code;
      if (typeof code === 'string' && !found.includes(code)) found.push(code);
    }
  }
  return found;
}

/**
 * The API key a request presents: `x-api-key` when it is there, else an `Authorization: Bearer`
 * token. Authentication and the rate limit both go by this one key, so a request cannot be
 * admitted on one key and counted against another.
 */
export function presentedApiKey(request: Request): string | null {
  const header = request.headers.get('x-api-key');
  if (header !== null) return header;
  return request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
}

/**
 * Client authentication by API key, off when no key is configured. A key is accepted in
 * `x-api-key` or as `Authorization: Bearer <key>` (`x-api-key` wins when both are sent). Keys are
 * compared as SHA-256 digests in constant time, so neither their content nor their length leaks
 * through timing.
 */
export function useApiKeys(keys: readonly string[], graphiql: boolean): Plugin<GraphContext> {
  if (keys.length === 0) return {};
  const digests = keys.map((key) => createHash('sha256').update(key).digest());
  const accepted = (candidate: string | null) => {
    if (!candidate) return false;
    const digest = createHash('sha256').update(candidate).digest();
    let ok = false;
    for (const known of digests) ok = timingSafeEqual(known, digest) || ok;
    return ok;
  };
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      // The GraphiQL page itself holds nothing secret; the queries it sends carry the key. Only
      // the bare page is let through: a GET that carries an operation is an operation.
      if (
        graphiql &&
        request.method === 'GET' &&
        request.headers.get('accept')?.includes('text/html') &&
        !new URL(request.url).searchParams.has('query')
      ) {
        return;
      }
      if (accepted(presentedApiKey(request))) return;
      endResponse(
        new fetchAPI.Response(errorBody('UNAUTHENTICATED', 'A valid API key is required.'), {
          status: 401,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'www-authenticate': 'Bearer',
          },
        }),
      );
    },
  };
}

/**
 * Limits on what one operation may ask for, checked before execution so that a rejected
 * operation costs no upstream call: depth, aliases, tokens and directives (graphql-armor), and
 * introspection with field suggestions when introspection is off. The cost limit, which needs the
 * page sizes, lives in the schema (Pothos complexity).
 */
export function useOperationLimits(config: GatewayConfig): Plugin[] {
  // One code for every limit, as for the cost limit: the client asked for too much at once.
  const onReject = [
    (_context: unknown, error: GraphQLError) => {
      Object.defineProperty(error, 'extensions', {
        value: { ...error.extensions, code: 'OPERATION_TOO_COMPLEX' },
        enumerable: true,
        configurable: true,
      });
    },
  ];
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: { n: config.maxDepth, ignoreIntrospection: true, onReject },
      maxAliases: { n: config.maxAliases, allowList: [], onReject },
      maxTokens: { n: config.maxTokens, onReject },
      maxDirectives: { n: config.maxDirectives, onReject },
      costLimit: { enabled: false },
      // "Did you mean ...?" would reveal the schema that disabled introspection hides.
      blockFieldSuggestion: { enabled: !config.introspection },
    }) as Plugin,
  ];
  if (!config.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}

/**
 * Every error a client sees carries `extensions.code`. Errors from parsing, validation and the
 * HTTP layer come from libraries that do not always set one; they get a code from their kind.
 * With `hideSuggestions`, "Did you mean ...?" hints (graphql-js adds them to variable and enum
 * errors too, not only to unknown fields) are cut, as they would reveal a hidden schema.
 */
export function useErrorCodes(hideSuggestions: boolean): Plugin<GraphContext> {
  const withCode = (error: GraphQLError): GraphQLError => {
    if (hideSuggestions && error.message.includes('Did you mean')) {
      Object.defineProperty(error, 'message', {
        value: error.message.replace(/\s*Did you mean[^?]*\?/g, ''),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    // yoga attaches the JSON parser's own message (which quotes the body) to invalid JSON, and
    // the original error in development: neither is the client's business. yoga answers such a
    // request 400 because of that attachment (200 without it, under application/json); the
    // status stays what it was.
    if (error.extensions && 'originalError' in error.extensions) {
      const { originalError: _dropped, http, ...extensions } = error.extensions;
      const { spec: _spec, ...status } = (http ?? {}) as Record<string, unknown>;
      Object.defineProperty(error, 'extensions', {
        value: http === undefined ? extensions : { ...extensions, http: status },
        enumerable: true,
        configurable: true,
      });
    }
    if (typeof error.extensions?.code === 'string') return error;
    const status = (error.extensions?.http as { status?: number } | undefined)?.status;
    // Request-level problems (bad JSON, wrong method) have no location in a document.
    const code = /^Syntax Error/.test(error.message)
      ? 'GRAPHQL_PARSE_FAILED'
      : status === 403
        ? 'FORBIDDEN'
        : error.path
          ? 'INTERNAL_SERVER_ERROR'
          : !error.locations?.length && status !== undefined && status >= 400
            ? 'BAD_REQUEST'
            : 'GRAPHQL_VALIDATION_FAILED';
    Object.defineProperty(error, 'extensions', {
      value: { ...error.extensions, code },
      enumerable: true,
      configurable: true,
    });
    return error;
  };
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) {
        setResult(result.map((r) => addCodes(r as ExecutionResult, withCode)));
      } else if (!(Symbol.asyncIterator in (result as object))) {
        setResult(addCodes(result as ExecutionResult, withCode));
      }
    },
  };
}

/**
 * yoga answers a content type it cannot parse (415) and an Accept header it cannot satisfy (406)
 * with an empty body. Every error of the gateway is JSON with a code, these too: a client that
 * cannot read JSON gets a status it understands all the same.
 */
export function useCodedHttpErrors(): Plugin {
  const answers: Record<number, { code: string; message: string }> = {
    406: {
      code: 'NOT_ACCEPTABLE',
      message:
        'The Accept header allows no answer the gateway gives: accept application/json or application/graphql-response+json.',
    },
    415: {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'The request body must be application/json.',
    },
  };
  return {
    onResponse({ response, setResponse, fetchAPI }) {
      const answer = answers[response.status];
      if (!answer || response.body !== null) return;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      setResponse(
        new fetchAPI.Response(errorBody(answer.code, answer.message), {
          status: response.status,
          headers,
        }),
      );
    },
  };
}

function addCodes(result: ExecutionResult, withCode: (e: GraphQLError) => GraphQLError) {
  if (!result?.errors?.length) return result;
  return { ...result, errors: result.errors.map(withCode) };
}

/**
 * Executes operations compiled to JavaScript by graphql-jit, which cuts execution to a fraction
 * of graphql-js's cost (about a fifth of a merged page's CPU, measured with the benchmark). Each
 * document and operation is compiled once. Anything graphql-jit does not handle the way
 * graphql-js does is left to graphql-js: documents it cannot compile, and answers with no data
 * (variables that do not coerce, an operation type the schema lacks), whose errors graphql-js
 * reports as request errors with their proper codes and statuses.
 */
export function useCompiledExecution(): Plugin {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  const compile = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName?: string | null,
  ) => {
    let byName = compiled.get(document);
    if (!byName) {
      byName = new Map();
      compiled.set(document, byName);
    }
    const key = operationName ?? '';
    let query = byName.get(key);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      query = isCompiledQuery(result) ? result : null;
      byName.set(key, query);
    }
    return query;
  };
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const query = compile(args.schema, args.document, args.operationName);
      if (!query) return;
      setExecuteFn(async (executeArgs) => {
        const result = await query.query(
          executeArgs.rootValue,
          executeArgs.contextValue,
          executeArgs.variableValues,
        );
        if (result.errors?.length && (result.data === undefined || result.data === null)) {
          return executeFn(executeArgs);
        }
        return result;
      });
    },
  };
}
