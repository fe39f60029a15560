import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config.js';
import { createContext, type GraphContext } from './context.js';
import { GRAPHIQL_OPTIONS, renderOfflineGraphiQL } from './graphiql.js';
import { type CursorCodec, createCursorCodec } from './pagination/cursor.js';
import { buildApiSchema, buildSubgraphSchema } from './schema/index.js';
import type { Upstreams } from './upstreams/types.js';

export type GatewayConfig = Pick<
  Config,
  'cursorSecret' | 'requestTimeoutMs' | 'detailConcurrency' | 'graphiql' | 'introspection'
>;

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly upstreams: Upstreams;
}

export type Yoga = YogaServerInstance<Record<string, never>, GraphContext>;

export const API_PATH = '/graphql';
export const SUBGRAPH_PATH = '/subgraph';
export const HEALTH_PATH = '/health';
export const READY_PATH = '/ready';

export interface Gateway {
  /** The API (what frontends and GraphiQL use), at /graphql. */
  readonly api: Yoga;
  /** The Federation v2 subgraph, at /subgraph. */
  readonly subgraph: Yoga;
  /** A node:http request listener serving every path. */
  readonly handle: (request: IncomingMessage, response: ServerResponse) => void;
  /** Whether both upstreams answer a one-item list call; cached for a few seconds. */
  readiness(): Promise<Readiness>;
}

export interface Readiness {
  readonly ready: boolean;
  readonly upstreams: Record<'IOT' | 'IMPORT_EXPORT', 'ok' | 'unavailable'>;
}

const schemas: { api?: GraphQLSchema; subgraph?: GraphQLSchema } = {};

function apiSchema(): GraphQLSchema {
  if (!schemas.api) schemas.api = buildApiSchema();
  return schemas.api;
}

function subgraphSchema(): GraphQLSchema {
  if (!schemas.subgraph) schemas.subgraph = buildSubgraphSchema();
  return schemas.subgraph;
}

/**
 * The gateway: importable, no I/O until a request arrives. The process entry (main.ts) decides
 * where it listens and owns the upstream clients' lifetime.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { config, upstreams } = options;
  const cursors = createCursorCodec(config.cursorSecret);
  const api = createApiYoga(apiSchema(), API_PATH, config, upstreams, cursors, config.graphiql);
  const subgraph = createApiYoga(
    subgraphSchema(),
    SUBGRAPH_PATH,
    config,
    upstreams,
    cursors,
    false,
  );
  const readiness = createReadiness(upstreams);

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === API_PATH) {
      api(request, response);
    } else if (path === SUBGRAPH_PATH) {
      subgraph(request, response);
    } else if (path === HEALTH_PATH) {
      sendJson(response, 200, { status: 'ok' });
    } else if (path === READY_PATH) {
      readiness().then(
        (state) => sendJson(response, state.ready ? 200 : 503, state),
        () => sendJson(response, 503, { ready: false }),
      );
    } else if (path === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
      response.writeHead(302, { location: API_PATH });
      response.end();
    } else {
      sendJson(response, 404, { errors: [{ message: 'Not found.' }] });
    }
  };

  return { api, subgraph, handle, readiness };
}

function createApiYoga(
  schema: GraphQLSchema,
  endpoint: string,
  config: GatewayConfig,
  upstreams: Upstreams,
  cursors: CursorCodec,
  graphiql: boolean,
): Yoga {
  return createYoga<Record<string, never>, GraphContext>({
    schema,
    graphqlEndpoint: endpoint,
    landingPage: false,
    healthCheckEndpoint: HEALTH_PATH,
    graphiql: graphiql ? GRAPHIQL_OPTIONS : false,
    renderGraphiQL: renderOfflineGraphiQL,
    maskedErrors: true,
    context: ({ request }) =>
      createContext({
        upstreams,
        cursors,
        signal: AbortSignal.any([request.signal, AbortSignal.timeout(config.requestTimeoutMs)]),
        detailConcurrency: config.detailConcurrency,
      }),
    plugins: [useDeferredErrors()],
  });
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

const READINESS_TTL_MS = 5000;
const READINESS_TIMEOUT_MS = 2000;

function createReadiness(upstreams: Upstreams): () => Promise<Readiness> {
  let cached: { at: number; value: Promise<Readiness> } | undefined;
  const probe = async (): Promise<Readiness> => {
    const signal = AbortSignal.timeout(READINESS_TIMEOUT_MS);
    const [iot, ie] = await Promise.allSettled([
      upstreams.iot.listJobs({ pageSize: 1, signal }),
      upstreams.importExport.listJobs({ maxJobs: 1, signal }),
    ]);
    const state = (r: PromiseSettledResult<unknown>) =>
      r.status === 'fulfilled' ? ('ok' as const) : ('unavailable' as const);
    const result = { IOT: state(iot), IMPORT_EXPORT: state(ie) };
    return { ready: result.IOT === 'ok' && result.IMPORT_EXPORT === 'ok', upstreams: result };
  };
  // Probes are cached so that a busy orchestrator cannot turn readiness checks into upstream load.
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > READINESS_TTL_MS) cached = { at: now, value: probe() };
    return cached.value;
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
