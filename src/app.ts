import type { GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config.js';
import { createContext, type GraphContext } from './context.js';
import { createCursorCodec } from './pagination/cursor.js';
import { buildApiSchema } from './schema/index.js';
import type { Upstreams } from './upstreams/types.js';

export type GatewayConfig = Pick<
  Config,
  'cursorSecret' | 'requestTimeoutMs' | 'detailConcurrency' | 'graphiql' | 'introspection'
>;

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly upstreams: Upstreams;
  /** Built once per process when not given. */
  readonly schema?: GraphQLSchema;
}

export type Gateway = YogaServerInstance<Record<string, never>, GraphContext>;

let apiSchema: GraphQLSchema | undefined;

function defaultSchema(): GraphQLSchema {
  if (!apiSchema) apiSchema = buildApiSchema();
  return apiSchema;
}

/**
 * The gateway as a fetch-style handler: importable, no I/O until a request arrives. The process
 * entry (main.ts) decides where it listens.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { config, upstreams } = options;
  const schema = options.schema ?? defaultSchema();
  const cursors = createCursorCodec(config.cursorSecret);
  return createYoga<Record<string, never>, GraphContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.graphiql,
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
