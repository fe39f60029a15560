import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState, UpstreamLabel } from './upstreams/breaker.js';
import type { UpstreamCallEvent } from './upstreams/instrument.js';
import type { SourceName } from './upstreams/types.js';

/**
 * Prometheus metrics, served at /metrics. GraphQL requests and their durations come from yoga's
 * Prometheus plugin (by operation name and type); the gateway adds its own for what happens
 * behind the graph: upstream calls, attempts, breaker states, loader batches. Label values are
 * closed sets (sources, operations, codes), so the series count stays small.
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
  /** The text exposition of every metric. */
  render(): Promise<string>;
}

const BREAKER_VALUES: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(options: { readonly defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
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

  return {
    registry,
    contentType: registry.contentType,
    plugin: () =>
      usePrometheus({
        registry,
        endpoint: false,
        skipIntrospection: true,
        metrics: {
          graphql_envelop_request: true,
          graphql_envelop_request_duration: true,
          graphql_envelop_error_result: true,
          graphql_yoga_http_duration: true,
        },
        labels: { url: false },
      }) as Plugin,
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
