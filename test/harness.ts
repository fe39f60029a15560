import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createGateway, type Gateway, type GatewayConfig } from '../src/app.js';
import { loadConfig, SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { createHttpServer, type HttpServer } from '../src/http-server.js';
import { createLogger, type Logger } from '../src/logger.js';
import type { Metrics } from '../src/metrics.js';
import { type Simulators, startSimulators } from '../src/simulators/index.js';
import type { IotListingOrder } from '../src/simulators/iot-server.js';
import type { BreakerOptions, GuardedUpstreams } from '../src/upstreams/breaker.js';
import { createUpstreams } from '../src/upstreams/index.js';
import type { RetryPolicy } from '../src/upstreams/retry.js';

/**
 * The whole product on loopback for end-to-end tests: both simulators, the upstream clients
 * pointed at them over HTTP, and the gateway listening on a free port.
 */

export interface StackOptions {
  readonly seed?: number;
  readonly iotJobs?: number;
  readonly importExportJobs?: number;
  readonly iotOrder?: IotListingOrder;
  readonly upstreamTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly maxAttempts?: number;
  readonly detailConcurrency?: number;
  readonly cursorSecret?: string;
  readonly graphiql?: boolean;
  /** Anything else of the gateway's configuration. */
  readonly config?: Partial<GatewayConfig>;
  /** Log destination; none drops the logs. */
  readonly logger?: Logger;
  /** Tokens of each upstream's retry budget. @default 500 */
  readonly retryBudget?: number;
  /** @default breakers that never open, so that other tests see every call */
  readonly breaker?: Partial<BreakerOptions>;
  /** A session token in the upstream credentials, as temporary AWS credentials have. */
  readonly sessionToken?: string;
  /** Serve /metrics from these. */
  readonly metrics?: Metrics;
  /** OpenTelemetry spans (the test registers the provider). */
  readonly tracing?: boolean;
  /** How long a client may take to send headers, then body. @default the configuration's */
  readonly clientTimeoutsMs?: { readonly headers: number; readonly body: number };
}

/** Logs collected in memory, to be searched by a test. */
export function captureLogs(level = 'debug'): { logger: Logger; text(): string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger(level, destination), text: () => chunks.join('') };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: {
    data?: T | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions?: Record<string, unknown>;
    }[];
  };
}

/** Something with a query text: a string or a codegen TypedDocumentString. */
export interface Operation<TResult, TVariables> {
  toString(): string;
  readonly __apiType?: (variables: TVariables) => TResult;
}

export interface Stack {
  readonly url: string;
  readonly simulators: Simulators;
  readonly upstreams: GuardedUpstreams;
  readonly gateway: Gateway;
  readonly http: HttpServer;
  query<TResult, TVariables>(
    operation: Operation<TResult, TVariables> | string,
    variables?: TVariables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TResult>>;
  /** Total requests each simulator has seen since the last reset. */
  calls(): { iot: number; importExport: number };
  resetCounters(): void;
  close(): Promise<void>;
}

/** Quick retries so fault tests do not wait for production backoff. */
export const FAST_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1,
  throttleBaseDelayMs: 2,
  maxDelayMs: 5,
};

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const credentials = {
    accessKeyId: SIMULATOR_ACCESS_KEY_ID,
    secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
    sessionToken: options.sessionToken,
  };
  const simulators = await startSimulators({
    data: {
      seed: options.seed ?? 42,
      iotJobs: options.iotJobs ?? 60,
      importExportJobs: options.importExportJobs ?? 40,
    },
    credentials,
    iotOrder: options.iotOrder,
  });
  const upstreams = createUpstreams(
    {
      awsRegion: 'us-east-1',
      upstreamTimeoutMs: options.upstreamTimeoutMs ?? 2000,
      upstreamMaxAttempts: options.maxAttempts ?? 3,
      credentials: { iot: credentials, importExport: credentials },
      retry: FAST_RETRY,
      retryBudget: options.retryBudget,
      breaker: options.breaker ?? { minimumCalls: Number.MAX_SAFE_INTEGER },
      onAttempt: options.metrics?.attempt,
      onBreakerChange: (state, source) => options.metrics?.breakerState(source, state),
    },
    { iot: simulators.iot?.url, importExport: simulators.importExport?.url },
  );
  const defaults = loadConfig({});
  const gateway = createGateway({
    logger: options.logger,
    metrics: options.metrics,
    tracing: options.tracing,
    config: {
      // The defaults a deployment gets, then what the test sets.
      ...defaults,
      cursorSecret: options.cursorSecret ?? 'test-cursor-secret-0123456789',
      requestTimeoutMs: options.requestTimeoutMs ?? 5000,
      detailConcurrency: options.detailConcurrency ?? 4,
      graphiql: options.graphiql ?? false,
      introspection: true,
      ...options.config,
    },
    upstreams,
  });
  const http = createHttpServer(gateway.handle, {
    headersTimeoutMs: options.clientTimeoutsMs?.headers ?? defaults.clientHeadersTimeoutMs,
    bodyTimeoutMs: options.clientTimeoutsMs?.body ?? defaults.clientBodyTimeoutMs,
  });
  await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}/graphql`;

  return {
    url,
    simulators,
    upstreams,
    gateway,
    http,
    async query(operation, variables, headers = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({ query: operation.toString(), variables }),
      });
      return { status: response.status, body: await response.json() } as never;
    },
    calls: () => ({
      iot: simulators.iot?.counters.snapshot().total ?? 0,
      importExport: simulators.importExport?.counters.snapshot().total ?? 0,
    }),
    resetCounters() {
      simulators.iot?.counters.reset();
      simulators.importExport?.counters.reset();
    },
    async close() {
      await http.drain(0);
      upstreams.iot.destroy();
      upstreams.importExport.destroy();
      await simulators.close();
    },
  };
}
