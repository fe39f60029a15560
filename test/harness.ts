import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Writable } from 'node:stream';
import { print } from 'graphql';
import { createGateway, type Gateway, type GatewayConfig } from '../src/app.js';
import { loadConfig, SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { createHttpServer, type HttpServer } from '../src/http-server.js';
import { createLogger, type Logger } from '../src/logger.js';
import type { Metrics } from '../src/metrics.js';
import type { PersistedManifest } from '../src/persisted-documents.js';
import type { SharedRedis } from '../src/redis.js';
import { type Simulators, startSimulators } from '../src/simulators/index.js';
import type { IotListingOrder } from '../src/simulators/iot-server.js';
import {
  createSourceRegistry,
  defaultSources,
  type SourceRegistry,
} from '../src/sources/registry.js';
import type { JobSourceAdapter, ListOrder } from '../src/sources/types.js';
import {
  type BreakerOptions,
  destroyUpstreams,
  type GuardedUpstreams,
} from '../src/upstreams/breaker.js';
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
  /** IoT regions, each with a simulator of its own; the first is the default. @default [us-east-1] */
  readonly iotRegions?: readonly string[];
  /** IoT jobs per region, where it differs from `iotJobs`. */
  readonly iotJobsByRegion?: Readonly<Record<string, number>>;
  /** What the gateway assumes of IoT's order. @default newest-first */
  readonly iotListOrder?: ListOrder;
  /** Sources served after the default ones (a test's own kind of source). */
  readonly extraSources?: readonly JobSourceAdapter[];
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
  /** Told of enum values the upstreams send that the schema does not know. */
  readonly onUnknownValue?: (source: 'IOT' | 'IMPORT_EXPORT', field: string, value: string) => void;
  /** How long a client may take to send headers, then body. @default the configuration's */
  readonly clientTimeoutsMs?: { readonly headers: number; readonly body: number };
  /** Redis shared with other gateways (cache, rate limits, APQ). */
  readonly redis?: SharedRedis;
  /** The trusted documents. */
  readonly persistedDocuments?: PersistedManifest;
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

/** A codegen TypedDocumentNode: the document, with its result and variable types. */
export type Operation<TResult, TVariables> = TypedDocumentNode<TResult, TVariables>;

export interface Stack {
  readonly url: string;
  readonly simulators: Simulators;
  readonly upstreams: GuardedUpstreams;
  readonly sources: SourceRegistry;
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
  const regions = options.iotRegions ?? ['us-east-1'];
  const simulators = await startSimulators({
    data: {
      seed: options.seed ?? 42,
      iotJobs: options.iotJobs ?? 60,
      importExportJobs: options.importExportJobs ?? 40,
    },
    credentials,
    iotRegions: regions,
    iotJobsByRegion: options.iotJobsByRegion,
    iotOrder: options.iotOrder,
  });
  const upstreams = createUpstreams(
    {
      upstreamTimeoutMs: options.upstreamTimeoutMs ?? 2000,
      upstreamMaxAttempts: options.maxAttempts ?? 3,
      credentials: { iot: credentials, importExport: credentials },
      retry: FAST_RETRY,
      retryBudget: options.retryBudget,
      breaker: options.breaker ?? { minimumCalls: Number.MAX_SAFE_INTEGER },
      onAttempt: options.metrics?.attempt,
      onBreakerChange: (state, upstream) => options.metrics?.breakerState(upstream, state),
      onUnknownValue: options.onUnknownValue,
    },
    {
      iot: new Map(regions.map((region) => [region, simulators.iotByRegion.get(region)?.url])),
      importExport: simulators.importExport?.url,
    },
  );
  for (const breaker of upstreams.breakers.values()) {
    options.metrics?.breakerState(breaker.label, 'closed');
  }
  const sources = createSourceRegistry([
    ...defaultSources(upstreams, options.iotListOrder ?? 'newest-first'),
    ...(options.extraSources ?? []),
  ]);
  const defaults = loadConfig({});
  const gateway = createGateway({
    sources,
    logger: options.logger,
    metrics: options.metrics,
    tracing: options.tracing,
    redis: options.redis,
    identities: upstreams.identities,
    persistedDocuments: options.persistedDocuments,
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
    sources,
    gateway,
    http,
    async query(operation, variables, headers = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({
          query: typeof operation === 'string' ? operation : print(operation),
          variables,
        }),
      });
      return { status: response.status, body: await response.json() } as never;
    },
    calls: () => ({
      iot: [...simulators.iotByRegion.values()].reduce(
        (n, sim) => n + sim.counters.snapshot().total,
        0,
      ),
      importExport: simulators.importExport?.counters.snapshot().total ?? 0,
    }),
    resetCounters() {
      for (const sim of simulators.iotByRegion.values()) sim.counters.reset();
      simulators.importExport?.counters.reset();
    },
    async close() {
      await http.drain(0);
      destroyUpstreams(upstreams);
      await simulators.close();
    },
  };
}

/** Ten IoT region names, for tests and measurements over many regions. */
export const TEN_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
];
