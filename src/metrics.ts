import {
  createCounter,
  createHistogram,
  type FillLabelsFnParams,
  usePrometheus,
} from '@graphql-yoga/plugin-prometheus';
import { type DocumentNode, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState, UpstreamLabel } from './upstreams/breaker.js';
import type { UpstreamCallEvent } from './upstreams/instrument.js';
import type { SourceName } from './upstreams/types.js';

/**
 * Prometheus metrics, served at /metrics. GraphQL requests and their durations come from yoga's
 * Prometheus plugin (by operation name and type); the gateway adds its own for what happens
 * behind the graph: upstream calls, attempts, breaker states, loader batches. Every label value
 * comes from a bounded set, so that no client can grow the series count: sources, operations and
 * codes are closed sets, and operation names, which clients choose, are kept for the first few
 * distinct ones and counted as `other` after that.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** The plugin that measures GraphQL requests. */
  plugin(): Plugin;
  upstreamCall(event: UpstreamCallEvent): void;
  attempt(source: SourceName, attempt: number): void;
  breakerState(upstream: UpstreamLabel, state: BreakerState): void;
  /** An enum value an upstream sent that the schema does not know. */
  unknownValue(source: SourceName, field: string): void;
  batch(loader: string, size: number): void;
  /** A lookup in the cache of upstream reads (pages, details) or of persisted queries (apq). */
  cacheLookup(cache: 'page' | 'detail' | 'apq', result: 'hit' | 'miss'): void;
  /** A read served by another request's read in flight, on this replica or another one. */
  coalesced(read: 'page' | 'detail', where: 'replica' | 'redis'): void;
  /** A Redis command that failed or timed out, or was not sent as Redis was away. */
  redisError(operation: string, reason: 'failed' | 'unavailable'): void;
  /** Reports whether Redis is in use at every scrape. */
  watchRedis(up: () => boolean): void;
  /** The text exposition of every metric. */
  render(): Promise<string>;
}

const BREAKER_VALUES: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, GC, event loop). @default true */
  readonly defaultMetrics?: boolean | undefined;
  /** Distinct operation names kept as label values; later ones are `other`. @default 50 */
  readonly operationNames?: number | undefined;
  /**
   * Names of the operations of the persisted-documents manifest: always labels of their own,
   * beside the bound on the names clients choose (the manifest is a closed, trusted set).
   */
  readonly persistedOperationNames?: Iterable<string> | undefined;
}

/** Label value of every operation name past the bound. */
export const OTHER_OPERATION = 'other';
const MAX_NAME_LENGTH = 100;

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const operationLabels = createOperationLabels(
    options.operationNames ?? 50,
    new Set(options.persistedOperationNames ?? []),
  );
  if (options.defaultMetrics ?? true) {
    // Process CPU, memory, GC and event-loop delay (nodejs_eventloop_lag_p99_seconds among them).
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  }
  const calls = new Counter({
    name: 'jobs_gateway_upstream_calls_total',
    help: 'Upstream calls, retries included, by source, region (IoT), operation and outcome (ok, an error code, or CIRCUIT_OPEN).',
    labelNames: ['source', 'region', 'operation', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'jobs_gateway_upstream_call_duration_seconds',
    help: 'Duration of upstream calls, retries and pauses included.',
    labelNames: ['source', 'region', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'jobs_gateway_upstream_attempts_total',
    help: 'Upstream HTTP attempts, by source; more than the calls when calls are retried.',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'jobs_gateway_upstream_retries_total',
    help: 'Upstream attempts that were retries, by source.',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'jobs_gateway_circuit_breaker_state',
    help: 'Circuit breaker state per source and region (IoT): 0 closed, 1 half-open, 2 open.',
    labelNames: ['source', 'region'] as const,
    registers: [registry],
  });
  const unknownValues = new Counter({
    name: 'jobs_gateway_unknown_enum_values_total',
    help: 'Enum values upstreams sent that the schema does not know (shown as UNKNOWN, raw text beside), by source and field.',
    labelNames: ['source', 'field'] as const,
    registers: [registry],
  });
  const batches = new Histogram({
    name: 'jobs_gateway_loader_batch_size',
    help: 'Keys per DataLoader batch (DescribeJob, GetStatus, DescribeThingGroup).',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [registry],
  });

  const cacheLookups = new Counter({
    name: 'jobs_gateway_cache_lookups_total',
    help: 'Lookups in the cache of upstream reads (page, detail) and of automatic persisted queries (apq), by result (hit, miss; Redis unavailable counts as a miss).',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });
  const coalesced = new Counter({
    name: 'jobs_gateway_coalesced_reads_total',
    help: 'Upstream reads a request did not make because the same read was in flight for another request: on this replica, or on another one (through Redis).',
    labelNames: ['read', 'where'] as const,
    registers: [registry],
  });
  const redisErrors = new Counter({
    name: 'jobs_gateway_redis_errors_total',
    help: 'Redis commands that failed or timed out (reason="failed"), or were not sent because Redis was away or resting after failures (reason="unavailable"), by use; the gateway went on without Redis for them.',
    labelNames: ['operation', 'reason'] as const,
    registers: [registry],
  });

  return {
    registry,
    contentType: registry.contentType,
    cacheLookup(cache, result) {
      cacheLookups.inc({ cache, result });
    },
    coalesced(read, where) {
      coalesced.inc({ read, where });
    },
    redisError(operation, reason) {
      redisErrors.inc({ operation, reason });
    },
    watchRedis(up) {
      new Gauge({
        name: 'jobs_gateway_redis_up',
        help: 'Whether Redis is in use (1) or the replica serves without it (0).',
        registers: [registry],
        collect() {
          this.set(up() ? 1 : 0);
        },
      });
    },
    plugin: () => graphqlMetrics(registry, operationLabels),
    upstreamCall(event) {
      // A call refused by an open breaker never left the gateway: it gets an outcome of its own.
      const outcome = event.upstreamCode === 'CircuitOpen' ? 'CIRCUIT_OPEN' : event.outcome;
      const region = event.region ?? '';
      calls.inc({ source: event.source, region, operation: event.operation, outcome });
      duration.observe(
        { source: event.source, region, operation: event.operation },
        event.durationMs / 1000,
      );
    },
    attempt(source, attempt) {
      attempts.inc({ source });
      if (attempt > 1) retries.inc({ source });
    },
    breakerState(upstream, state) {
      breaker.set(
        { source: upstream.source, region: upstream.region ?? '' },
        BREAKER_VALUES[state],
      );
    },
    unknownValue(source, field) {
      unknownValues.inc({ source, field });
    },
    batch(loader, size) {
      batches.observe({ loader }, size);
    },
    render: () => registry.metrics(),
  };
}

interface OperationLabels {
  readonly operationName: string;
  readonly operationType: string;
}

/**
 * The operation labels of a document: the operation that runs (not its first definition, which
 * may be a fragment), its name kept only while fewer than `max` distinct names have been seen.
 */
function createOperationLabels(max: number, persisted: ReadonlySet<string>) {
  const known = new Set<string>();
  const bounded = (name: string): string => {
    if (known.has(name) || persisted.has(name)) return name;
    if (known.size >= max || name.length > MAX_NAME_LENGTH) return OTHER_OPERATION;
    known.add(name);
    return name;
  };
  const byDocument = new WeakMap<DocumentNode, Map<string, OperationLabels>>();
  return (document: DocumentNode | undefined, requested: unknown): OperationLabels => {
    if (!document) return { operationName: 'unknown', operationType: 'unknown' };
    const key = typeof requested === 'string' ? requested : '';
    let forDocument = byDocument.get(document);
    let labels = forDocument?.get(key);
    if (labels) return labels;
    const operation = getOperationAST(document, key || undefined);
    labels = {
      operationName: operation?.name ? bounded(operation.name.value) : 'Anonymous',
      operationType: operation?.operation ?? 'unknown',
    };
    if (!forDocument) {
      forDocument = new Map();
      byDocument.set(document, forDocument);
    }
    forDocument.set(key, labels);
    return labels;
  };
}

type OperationLabelsOf = ReturnType<typeof createOperationLabels>;

/**
 * yoga's Prometheus plugin, configured metric by metric: it merges what it is given into its
 * defaults, so each metric it knows is named here, the unwanted ones switched off (among them a
 * walk of every document looking for deprecated fields, and five phase histograms). The wanted
 * ones get label functions that find the operation that runs and bound its name.
 */
function graphqlMetrics(registry: Registry, labelsOf: OperationLabelsOf): Plugin {
  const requested = (context: unknown) =>
    (context as { params?: { operationName?: unknown } } | null)?.params?.operationName;
  const labels = (params: FillLabelsFnParams, context: unknown) => {
    const { operationName, operationType } = labelsOf(params.document, requested(context));
    return { operationName, operationType };
  };
  return usePrometheus({
    registry,
    endpoint: false,
    skipIntrospection: true,
    labels: { url: false },
    metrics: {
      graphql_envelop_request: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_request',
          help: 'GraphQL operations executed, by operation.',
          labelNames: ['operationName', 'operationType'],
        },
        fillLabelsFn: labels,
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_envelop_request_duration',
          help: 'Time from parsing an operation to the end of its execution, by operation.',
          labelNames: ['operationName', 'operationType'],
        },
        fillLabelsFn: labels,
      }),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_error_result',
          help: 'Errors in GraphQL results, by operation and the phase that reported them.',
          labelNames: ['operationName', 'operationType', 'phase'],
        },
        fillLabelsFn: (params, context) => ({
          ...labels(params, context),
          phase: params.errorPhase ?? 'unknown',
        }),
      }),
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_yoga_http_duration',
          help: 'Time spent on a GraphQL HTTP request, by operation, method and status.',
          labelNames: ['operationName', 'operationType', 'method', 'statusCode'],
        },
        // Here the plugin has already picked the operation that runs, and names it.
        fillLabelsFn: (params, { request, response }) => ({
          ...labelsOf(params.document, params.operationName),
          method: request.method,
          statusCode: response.status,
        }),
      }),
      graphql_envelop_deprecated_field: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
    },
  }) as Plugin;
}
