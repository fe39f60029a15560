import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { useUpstreamBudget } from './budget.js';
import { createRequestBudget, type RequestBudget } from './request-budget.js';
import type { GatewayConfig } from './config.js';
import { createContext, type GraphContext } from './context.js';
import { errorBody } from './errors.js';
import {
  corsOptionsFor,
  createOriginCheck,
  useCsrfPrevention,
  useVaryOrigin,
} from './cross-origin.js';
import { createGraphiQLPage, GRAPHIQL_OPTIONS, renderOfflineGraphiQL } from './graphiql.js';
import { type Logger, silentLogger } from './logger.js';
import type { Metrics } from './metrics.js';
import { type CursorCodec, createCursorCodec } from './pagination/cursor.js';
import {
  createMemoryApqStore,
  createRedisApqStore,
  DOCUMENT_ID_PARAM,
  type PersistedManifest,
  usePersistedDocuments,
} from './persisted-documents.js';
import {
  useApiKeys,
  useCodedHttpErrors,
  useCompiledExecution,
  useErrorCodes,
  useOperationLimits,
  useRequestLog,
} from './plugins.js';
import {
  createClientIdentity,
  createMemoryRateLimitStore,
  createRedisRateLimitStore,
  type RateLimitStore,
  useRateLimit,
} from './rate-limit.js';
import type { RedisStatus, SharedRedis } from './redis.js';
import { buildApiSchema, buildSubgraphSchema } from './schema/index.js';
import {
  createMemoryReadCache,
  createRedisReadCache,
  createSharedReads,
  type SharedReads,
} from './shared-reads.js';
import type { SourceRegistry } from './sources/registry.js';
import type { JobSourceAdapter } from './sources/types.js';
import { useTracing } from './tracing.js';
import type { UpstreamHealth } from './upstreams/breaker.js';
import type { Upstreams } from './upstreams/types.js';

export type { GatewayConfig } from './config.js';

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly upstreams: Upstreams;
  /** The sources connections read (see sources/registry.ts), over `upstreams`. */
  readonly sources: SourceRegistry;
  /** @default a logger that drops everything */
  readonly logger?: Logger | undefined;
  /** Prometheus metrics, served at /metrics; none: no /metrics. */
  readonly metrics?: Metrics | undefined;
  /** OpenTelemetry spans for operations and upstream calls. @default false */
  readonly tracing?: boolean | undefined;
  /**
   * Where the per-client token buckets live.
   * @default in memory, when `rateLimitPerMinute` is set; none (no rate limit) otherwise
   */
  readonly rateLimitStore?: RateLimitStore | undefined;
  /**
   * Redis shared by the replicas: the cache of upstream reads, rate-limit buckets and APQ live
   * there. @default none: each replica keeps them in memory
   */
  readonly redis?: SharedRedis | undefined;
  /** A stable, non-secret identifier of each upstream's endpoint and credentials, by upstream key. */
  readonly identities?: ReadonlyMap<string, () => Promise<string>> | undefined;
  /** The trusted documents (`PERSISTED_DOCUMENTS_MANIFEST`). */
  readonly persistedDocuments?: PersistedManifest | undefined;
}

export type Yoga = YogaServerInstance<Record<string, never>, GraphContext>;

export const API_PATH = '/graphql';
export const SUBGRAPH_PATH = '/subgraph';
export const HEALTH_PATH = '/health';
export const READY_PATH = '/ready';
export const METRICS_PATH = '/metrics';

export interface Gateway {
  /** The API (what frontends and GraphiQL use), at /graphql. */
  readonly api: Yoga;
  /** The Federation v2 subgraph, at /subgraph; built on first use. */
  subgraph(): Promise<Yoga>;
  /** A node:http request listener serving every path. */
  readonly handle: (request: IncomingMessage, response: ServerResponse) => void;
  /** A node:http request listener serving /metrics alone, for a port of its own. */
  readonly handleMetrics: (request: IncomingMessage, response: ServerResponse) => void;
  /** Whether every source is healthy enough to serve, from its recent calls. */
  readiness(): Promise<Readiness>;
  /** The process is shutting down: /ready answers 503 from now on. */
  drain(): void;
}

export type SourceState = 'ok' | 'degraded' | 'unavailable';

export interface SourceReadiness extends UpstreamHealth {
  readonly state: SourceState;
}

export interface Readiness {
  readonly ready: boolean;
  /** By source key: `IOT:<region>`, `IMPORT_EXPORT`. */
  readonly upstreams: Record<string, SourceReadiness>;
  /**
   * Redis, when configured. Never makes the gateway unready: without it every request is still
   * answered (caches bypassed, per-replica rate limits).
   */
  readonly redis?: RedisStatus;
}

const schemas: { api?: GraphQLSchema; subgraph?: Promise<GraphQLSchema> } = {};

function apiSchema(): GraphQLSchema {
  if (!schemas.api) schemas.api = buildApiSchema();
  return schemas.api;
}

function subgraphSchema(): Promise<GraphQLSchema> {
  if (!schemas.subgraph) schemas.subgraph = buildSubgraphSchema();
  return schemas.subgraph;
}

/**
 * The gateway: importable, no I/O until a request arrives. The process entry (main.ts) decides
 * where it listens and owns the upstream clients' lifetime.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { config, upstreams, sources } = options;
  const logger = options.logger ?? silentLogger();
  const cursors = createCursorCodec(config.cursorSecret);
  const { metrics, redis } = options;
  if (redis) metrics?.watchRedis(() => redis.available());
  const buckets = {
    capacity: config.rateLimitBurst,
    refillPerSecond: config.rateLimitPerMinute / 60,
  };
  const rateLimitStore =
    options.rateLimitStore ??
    (config.rateLimitPerMinute > 0
      ? redis
        ? createRedisRateLimitStore(redis, buckets)
        : createMemoryRateLimitStore(buckets)
      : undefined);
  const reads = createSharedReads({
    pageTtlMs: config.pageCacheTtlMs,
    detailTtlMs: config.detailCacheTtlMs,
    cache: redis
      ? createRedisReadCache(redis)
      : createMemoryReadCache(config.cacheMemoryMb * 1024 * 1024),
    identities: options.identities,
    // A replica that misses a read another one is making waits at most as long as that read may
    // take (retries included), then reads for itself.
    lockMs: config.upstreamTimeoutMs + 250,
    onLookup: metrics?.cacheLookup,
    onCoalesced: metrics?.coalesced,
  });
  const shared: Shared = {
    config,
    upstreams,
    sources,
    cursors,
    logger,
    metrics,
    tracing: !!options.tracing,
    onOrderContradiction: warnOnce(logger),
    reads,
    rateLimit: rateLimitStore && {
      store: rateLimitStore,
      identify: createClientIdentity({
        apiKeys: config.apiKeys.length > 0,
        trustedProxies: config.trustedProxies,
      }),
    },
  };
  // Persisted documents are for the API's clients; a router sends the subgraph its own plans.
  const persisted = usePersistedDocuments({
    mode: config.persistedDocuments,
    manifest: options.persistedDocuments,
    apq: redis ? createRedisApqStore(redis) : createMemoryApqStore(),
    onApqLookup: metrics && ((result) => metrics.cacheLookup('apq', result)),
  });
  const api = createEndpoint(apiSchema(), API_PATH, shared, {
    graphiql: config.graphiql,
    plugins: [...persisted.admitted, useCompiledExecution()],
    requestPlugins: persisted.request,
    extraParamNames: config.persistedDocuments === 'off' ? [] : [DOCUMENT_ID_PARAM],
  });
  // The subgraph schema needs the federation libraries, slow to load: a gateway that is never
  // used as a subgraph never loads them.
  let subgraphEndpoint: Promise<Yoga> | undefined;
  const subgraph = () => {
    subgraphEndpoint ??= Promise.all([
      subgraphSchema(),
      import('@graphql-yoga/plugin-apollo-inline-trace'),
    ]).then(([schema, { useApolloInlineTrace }]) =>
      createEndpoint(schema, SUBGRAPH_PATH, shared, {
        graphiql: false,
        // Federated tracing: routers ask for it per request with `apollo-federation-include-trace`.
        plugins: [useApolloInlineTrace() as Plugin],
      }),
    );
    subgraphEndpoint.catch(() => {
      subgraphEndpoint = undefined;
    });
    return subgraphEndpoint;
  };
  const readiness = createReadiness(sources, upstreams, redis);
  const graphiqlPage = config.graphiql ? createGraphiQLPage() : undefined;

  let draining = false;

  const serveMetrics = (request: IncomingMessage, response: ServerResponse) => {
    if (!metrics) {
      sendError(response, 404, 'NOT_FOUND', 'Not found.');
      return;
    }
    if (config.metricsToken !== undefined && !bearerIs(request, config.metricsToken)) {
      response.setHeader('www-authenticate', 'Bearer');
      sendError(response, 401, 'UNAUTHENTICATED', 'A valid metrics token is required.');
      return;
    }
    metrics.render().then(
      (text) => {
        response.writeHead(200, { 'content-type': metrics.contentType });
        response.end(text);
      },
      () => sendError(response, 500, 'INTERNAL_SERVER_ERROR', 'Metrics are unavailable.'),
    );
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    // Bodies are refused before a byte of them is read. Without a declared length there is
    // nothing to check up front, so such bodies are refused too (411), as many gateways do.
    const declared = request.headers['content-length'];
    if (declared !== undefined && Number(declared) > config.maxBodyBytes) {
      refuseBody(request, response, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
      return;
    }
    const graphqlPath = path === API_PATH || (config.subgraph && path === SUBGRAPH_PATH);
    if (
      request.headers['transfer-encoding'] !== undefined ||
      (graphqlPath && request.method === 'POST' && declared === undefined)
    ) {
      refuseBody(request, response, 411, 'LENGTH_REQUIRED', 'A Content-Length header is required.');
      return;
    }
    if (path === API_PATH && graphiqlPage && isGraphiQLPageRequest(request)) {
      graphiqlPage(request, response).catch(() =>
        sendError(response, 500, 'INTERNAL_SERVER_ERROR', 'GraphiQL is unavailable.'),
      );
    } else if (graphqlPath) {
      if (request.method === 'GET' && !jsonSearchParamsValid(request.url ?? '')) {
        sendError(response, 400, 'BAD_REQUEST', '"variables" and "extensions" must be JSON.');
        return;
      }
      // The body is acceptable: a client that waits for 100 Continue may send it now.
      if (request.headers.expect?.toLowerCase() === '100-continue') response.writeContinue();
      if (path === API_PATH) {
        api(request, response);
      } else {
        subgraph().then(
          (endpoint) => endpoint(request, response),
          () => sendError(response, 500, 'INTERNAL_SERVER_ERROR', 'The subgraph is unavailable.'),
        );
      }
    } else if (path === HEALTH_PATH) {
      sendJson(response, 200, { status: 'ok' });
    } else if (path === METRICS_PATH && metrics && config.metricsPort === undefined) {
      serveMetrics(request, response);
    } else if (path === READY_PATH) {
      if (draining) {
        sendJson(response, 503, { ready: false, draining: true });
        return;
      }
      readiness().then(
        (state) => sendJson(response, state.ready ? 200 : 503, state),
        () => sendJson(response, 503, { ready: false }),
      );
    } else if (path === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
      response.writeHead(302, { location: API_PATH });
      response.end();
    } else {
      sendError(response, 404, 'NOT_FOUND', 'Not found.');
    }
  };

  const handleMetrics = (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === METRICS_PATH) serveMetrics(request, response);
    else sendError(response, 404, 'NOT_FOUND', 'Not found.');
  };

  const drain = () => {
    draining = true;
  };

  return { api, subgraph, handle, handleMetrics, readiness, drain };
}

interface Shared {
  readonly config: GatewayConfig;
  readonly upstreams: Upstreams;
  readonly sources: SourceRegistry;
  readonly onOrderContradiction: (source: JobSourceAdapter) => void;
  readonly cursors: CursorCodec;
  readonly logger: Logger;
  readonly metrics: Metrics | undefined;
  readonly tracing: boolean;
  readonly rateLimit: Parameters<typeof useRateLimit>[0] | undefined;
  readonly reads: SharedReads;
}

interface EndpointOptions {
  readonly graphiql: boolean;
  readonly plugins?: readonly Plugin[];
  /** Plugins that see the request's parameters first (persisted documents). */
  readonly requestPlugins?: readonly Plugin[];
  /** Request body members besides query, operationName, variables and extensions. */
  readonly extraParamNames?: readonly string[];
}

function createEndpoint(
  schema: GraphQLSchema,
  endpoint: string,
  shared: Shared,
  { graphiql, plugins = [], requestPlugins = [], extraParamNames = [] }: EndpointOptions,
) {
  const { config, upstreams, sources, cursors, logger, metrics, tracing, rateLimit } = shared;
  const allowedOrigin = createOriginCheck(config.corsOrigins);
  const requestIds = new WeakMap<Request, string>();
  const deadlines = createDeadlines();
  // One budget per HTTP request: the operations of a batch share it.
  const budgets = new WeakMap<Request, RequestBudget>();
  const budgetOf = (request: Request) => {
    let budget = budgets.get(request);
    if (!budget) {
      budget = createRequestBudget(config.maxUpstreamCalls);
      budgets.set(request, budget);
    }
    return budget;
  };
  const requestIdOf = (request: Request) => {
    let id = requestIds.get(request);
    if (!id) {
      const given = request.headers.get('x-request-id');
      id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
      requestIds.set(request, id);
    }
    return id;
  };
  return createYoga<Record<string, never>, GraphContext>({
    schema,
    graphqlEndpoint: endpoint,
    landingPage: false,
    healthCheckEndpoint: HEALTH_PATH,
    graphiql: graphiql ? GRAPHIQL_OPTIONS : false,
    renderGraphiQL: renderOfflineGraphiQL,
    maskedErrors: true,
    // The body limit is enforced from Content-Length before yoga sees the request (see
    // `handle`); yoga's own would pipe every body through a counting stream for nothing.
    maxRequestBodySize: false,
    batching: config.batchLimit > 0 ? { limit: config.batchLimit } : false,
    extraParamNames: [...extraParamNames],
    cors: corsOptionsFor(allowedOrigin),
    logging: false,
    context: ({ request }) => {
      const requestId = requestIdOf(request);
      return createContext({
        upstreams,
        sources,
        cursors,
        onOrderContradiction: shared.onOrderContradiction,
        signal: deadlines.start(request, config.requestTimeoutMs),
        detailConcurrency: config.detailConcurrency,
        maxComplexity: config.maxComplexity,
        requestId,
        log: logger,
        observe: metrics?.upstreamCall,
        onBatch: metrics?.batch,
        budget: budgetOf(request),
        traced: tracing,
        reads: shared.reads,
      });
    },
    plugins: [
      deadlines.plugin,
      // Before the request log, which adds its header to the final response.
      useCodedHttpErrors(),
      useRequestLog(logger, requestIdOf),
      useApiKeys(config.apiKeys, graphiql),
      ...requestPlugins,
      ...(config.csrfPrevention ? [useCsrfPrevention(allowedOrigin)] : []),
      ...(config.corsOrigins.length > 0 ? [useVaryOrigin()] : []),
      ...useOperationLimits(config),
      // Before the budget, so that operations it refuses are counted too.
      ...(metrics ? [metrics.plugin()] : []),
      useUpstreamBudget(),
      ...(rateLimit ? [useRateLimit(rateLimit)] : []),
      useDeferredErrors(),
      // Before tracing, so that the span it wraps around execution covers the compiled one.
      ...plugins,
      ...(tracing ? [useTracing()] : []),
      useErrorCodes(!config.introspection),
    ],
  });
}

/**
 * The deadline of each request: one signal that aborts when the deadline passes or the client
 * goes away, handed to every upstream call. Its timer is cleared as soon as the response is
 * ready, so finished requests leave nothing behind.
 */
function createDeadlines() {
  const pending = new WeakMap<Request, { signal: AbortSignal; dispose: () => void }>();
  const start = (request: Request, timeoutMs: number): AbortSignal => {
    // A batched request makes one context per operation; they share the request's deadline.
    const existing = pending.get(request);
    if (existing) return existing.signal;
    const controller = new AbortController();
    // Every upstream call in flight listens to it: a merged page over many regions, with its
    // details, legitimately has more than Node's default of ten.
    setMaxListeners(0, controller.signal);
    const timer = setTimeout(
      () => controller.abort(new DOMException('request deadline', 'TimeoutError')),
      timeoutMs,
    );
    const follow = () => controller.abort(request.signal.reason);
    if (request.signal.aborted) follow();
    else request.signal.addEventListener('abort', follow, { once: true });
    pending.set(request, {
      signal: controller.signal,
      dispose: () => {
        clearTimeout(timer);
        request.signal.removeEventListener('abort', follow);
      },
    });
    return controller.signal;
  };
  const plugin: Plugin = {
    onResponse({ request }) {
      pending.get(request)?.dispose();
      pending.delete(request);
    },
  };
  return { start, plugin };
}

/**
 * Appends the errors of fields that still returned data (a merged page with one source down)
 * to the result, after the fields that produced them have resolved.
 */
function useDeferredErrors(): Plugin<GraphContext> {
  return {
    onExecute({ args }) {
      const context = args.contextValue as GraphContext;
      return {
        onExecuteDone({ result, setResult }) {
          if (!context.deferredErrors?.length || Symbol.asyncIterator in result) return;
          setResult({ ...result, errors: [...(result.errors ?? []), ...context.deferredErrors] });
        },
      };
    },
  };
}

/** A source that lists against its configured order is logged once, not once per page. */
function warnOnce(logger: Logger): (source: JobSourceAdapter) => void {
  const warned = new Set<string>();
  return (source) => {
    if (warned.has(source.key)) return;
    warned.add(source.key);
    logger.warn(
      { source: source.key, configuredOrder: source.order },
      'a source listed jobs against its configured order; walks that met it no longer assume any order',
    );
  };
}

/** Calls a source must have had in the health window before its success ratio counts. */
const READINESS_MIN_CALLS = 5;
/**
 * With fewer calls than that, a source is unavailable only once this many have failed and none
 * succeeded: two failures in a row are common under a few percent of faults (1 in 100 at 10 %),
 * three are ten times rarer, and the readiness check probes to get there rather than wait.
 */
const READINESS_MIN_FAILURES = 3;
/** Below this success ratio a source is unavailable; below DEGRADED_RATIO it is degraded. */
const UNAVAILABLE_RATIO = 0.5;
const DEGRADED_RATIO = 0.9;
/** At most one probe per source per this long, and only for a source with too few calls. */
const PROBE_INTERVAL_MS = 5000;
const PROBE_TIMEOUT_MS = 2000;

/**
 * Readiness from each source's recent calls (its breaker and its success ratio over the health
 * window), not from one probe: under a few percent of upstream faults every source stays ready,
 * and one that is down (open breaker, or mostly failing) turns the gateway unready. A source with
 * too little traffic to judge gets a one-item list call now and then, which counts like any other,
 * and one whose few calls all failed gets the calls it lacks to be judged, at once.
 */
function createReadiness(
  sources: SourceRegistry,
  upstreams: Upstreams,
  redis: SharedRedis | undefined,
): () => Promise<Readiness> {
  const lastProbe = new Map<string, number>();
  const probe = async (source: JobSourceAdapter) => {
    const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    await source
      .list({ token: null, size: 1, query: { iot: {} } }, { upstreams, signal })
      .catch(() => undefined);
  };
  const judging = new Map<string, Promise<void>>();
  const judge = (source: JobSourceAdapter): Promise<void> => {
    let running = judging.get(source.key);
    if (!running) {
      const missing = Math.max(1, READINESS_MIN_FAILURES - source.health().calls);
      running = Promise.all(Array.from({ length: missing }, () => probe(source))).then(() => {
        judging.delete(source.key);
      });
      judging.set(source.key, running);
    }
    return running;
  };
  return async () => {
    const now = Date.now();
    const probes: Promise<void>[] = [];
    for (const source of sources.all) {
      const health = source.health();
      // Half-open, the probe is the one call the breaker lets through to decide.
      if (
        health.breaker !== 'open' &&
        health.calls < READINESS_MIN_CALLS &&
        now - (lastProbe.get(source.key) ?? 0) >= PROBE_INTERVAL_MS
      ) {
        lastProbe.set(source.key, now);
        probes.push(probe(source));
      }
    }
    await Promise.all(probes);
    // Too few calls, every one failed: the calls still missing to judge, at once, and shared by
    // the checks that arrive meanwhile.
    await Promise.all(
      sources.all
        .filter((source) => unjudged(source.health()))
        .map((source) => {
          lastProbe.set(source.key, now);
          return judge(source);
        }),
    );
    const report: Record<string, SourceReadiness> = {};
    let ready = true;
    for (const source of sources.all) {
      const health = source.health();
      const state = stateOf(health);
      if (state === 'unavailable') ready = false;
      report[source.key] = { state, ...health };
    }
    return { ready, upstreams: report, ...(redis ? { redis: redis.status() } : {}) };
  };
}

/** A source whose few recent calls all failed, too few of them to call it unavailable. */
function unjudged(health: UpstreamHealth): boolean {
  return (
    health.breaker !== 'open' &&
    health.calls > 0 &&
    health.calls < READINESS_MIN_FAILURES &&
    health.successRatio === 0
  );
}

function stateOf(health: UpstreamHealth): SourceState {
  if (health.breaker === 'open') return 'unavailable';
  // Too few calls for a ratio: only a source whose every recent call failed, and at least
  // READINESS_MIN_FAILURES of them, is unavailable.
  if (health.calls < READINESS_MIN_CALLS) {
    return health.successRatio > 0 || health.calls < READINESS_MIN_FAILURES ? 'ok' : 'unavailable';
  }
  if (health.successRatio < UNAVAILABLE_RATIO) return 'unavailable';
  return health.successRatio < DEGRADED_RATIO ? 'degraded' : 'ok';
}

/**
 * A browser asking for the GraphiQL page itself, as yoga tells it (GET, HTML accepted), and with no
 * operation in the URL: a GET that carries one goes to yoga like any other operation.
 */
function isGraphiQLPageRequest(request: IncomingMessage): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    (request.headers.accept ?? '').includes('text/html') &&
    !/[?&]query=/.test(request.url ?? '')
  );
}

/** yoga answers a GET whose `variables` or `extensions` is not JSON with a 500; this is a 400. */
function jsonSearchParamsValid(url: string): boolean {
  const query = url.indexOf('?');
  if (query === -1) return true;
  const params = new URLSearchParams(url.slice(query + 1));
  for (const name of ['variables', 'extensions']) {
    const value = params.get(name);
    if (value === null) continue;
    try {
      JSON.parse(value);
    } catch {
      return false;
    }
  }
  return true;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  sendText(response, status, JSON.stringify(body));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, code: string, message: string) {
  // The body is not read; close the connection rather than leave it to be drained.
  response.setHeader('connection', 'close');
  sendText(response, status, errorBody(code, message));
}

/** How much of a refused body is read and dropped before the connection is closed. */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Answers a request whose body is refused, and closes the connection only once the client has
 * sent that body (read and dropped, up to a bound). A client that does not wait for 100 Continue
 * is still writing when the answer leaves; closing under it would break its pipe before it reads
 * the answer. Node's request timeout still bounds how long a slow body is waited for.
 */
function refuseBody(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  const text = errorBody(code, message);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    connection: 'close',
  });
  // A client that asked for 100 Continue sends no body after a final answer.
  if (request.headers.expect?.toLowerCase() === '100-continue' || request.complete) {
    response.end(text);
    return;
  }
  response.write(text);
  let discarded = 0;
  const done = () => {
    request.off('data', discard);
    if (!response.writableEnded) response.end();
  };
  const discard = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) done();
  };
  request.on('data', discard);
  request.once('end', done);
  request.once('error', done);
}

/** `Authorization: Bearer <token>`, compared in constant time. */
function bearerIs(request: IncomingMessage, token: string): boolean {
  const given = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}
