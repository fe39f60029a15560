import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialsConfig, Config } from '../config.js';
import {
  type BreakerOptions,
  type BreakerState,
  DEFAULT_BREAKER,
  type GuardedUpstreams,
  type UpstreamLabel,
  withCircuitBreakers,
} from './breaker.js';
import { createImportExportUpstream } from './import-export/client.js';
import { createIotUpstream } from './iot/client.js';
import { DEFAULT_RETRY_POLICY, RetryBudget, type RetryPolicy } from './retry.js';
import type {
  CredentialsProvider,
  IotUpstream,
  SourceName,
  UnknownValueReporter,
} from './types.js';

export interface UpstreamEndpoints {
  /**
   * IoT endpoint per region; a region without one uses the real regional endpoint. The keys, in
   * order, are the regions served: the first is the default region.
   */
  readonly iot: ReadonlyMap<string, string | undefined>;
  /** Undefined: the real global Import/Export endpoint. */
  readonly importExport: string | undefined;
}

export type UpstreamsConfig = Pick<Config, 'upstreamTimeoutMs' | 'upstreamMaxAttempts'> & {
  /**
   * Static keys per upstream (the embedded simulators); an upstream without any uses the standard
   * AWS provider chain.
   */
  readonly credentials?: {
    /** The same keys for every region, or keys by region. */
    readonly iot?: AwsCredentialsConfig | ReadonlyMap<string, AwsCredentialsConfig> | undefined;
    readonly importExport?: AwsCredentialsConfig | undefined;
  };
  /** For upstreams without static keys. @default the standard AWS provider chain */
  readonly provider?: CredentialsProvider | undefined;
  /** @default DEFAULT_RETRY_POLICY with `upstreamMaxAttempts` */
  readonly retry?: RetryPolicy | undefined;
  /** Tokens of each upstream's retry budget. @default 500 */
  readonly retryBudget?: number | undefined;
  /** @default DEFAULT_BREAKER */
  readonly breaker?: Partial<BreakerOptions> | undefined;
  readonly onBreakerChange?: ((state: BreakerState, upstream: UpstreamLabel) => void) | undefined;
  /** Called after every attempt of every call (the first included), for metrics. */
  readonly onAttempt?: ((source: SourceName, attempt: number) => void) | undefined;
  /** Told of every enum value an upstream sends that the gateway does not know. */
  readonly onUnknownValue?:
    ((source: SourceName, field: string, value: string) => void) | undefined;
};

/**
 * One long-lived client per upstream and IoT region, sharing one credentials provider (which
 * caches and refreshes), each with its own retry budget and circuit breaker, so a failing upstream
 * or region spends only its own.
 */
export function createUpstreams(
  config: UpstreamsConfig,
  endpoints: UpstreamEndpoints,
): GuardedUpstreams {
  let chain: CredentialsProvider | undefined;
  const credentialsFor = (keys: AwsCredentialsConfig | undefined): CredentialsProvider => {
    if (keys) return staticCredentials(keys);
    chain ??= config.provider ?? fromNodeProviderChain();
    return chain;
  };
  const retry = {
    ...(config.retry ?? DEFAULT_RETRY_POLICY),
    maxAttempts: config.upstreamMaxAttempts,
  };
  const budget = () => new RetryBudget(config.retryBudget ?? 500);
  const report = config.onAttempt;
  const onAttempt = report
    ? (outcome: { source: SourceName; attempt: number }) => report(outcome.source, outcome.attempt)
    : undefined;
  const unknown = config.onUnknownValue;
  const unknownOf = (source: SourceName): UnknownValueReporter | undefined =>
    unknown && ((field, value) => unknown(source, field, value));
  const iot = new Map<string, IotUpstream>();
  for (const [region, endpoint] of endpoints.iot) {
    iot.set(
      region,
      createIotUpstream({
        endpoint,
        region,
        credentials: credentialsFor(keysOf(config.credentials?.iot, region)),
        timeoutMs: config.upstreamTimeoutMs,
        retry,
        budget: budget(),
        onAttempt,
        onUnknownValue: unknownOf('IOT'),
      }),
    );
  }
  const clients = {
    iot,
    importExport: createImportExportUpstream({
      endpoint: endpoints.importExport,
      credentials: credentialsFor(config.credentials?.importExport),
      timeoutMs: config.upstreamTimeoutMs,
      retry,
      budget: budget(),
      onAttempt,
      onUnknownValue: unknownOf('IMPORT_EXPORT'),
    }),
  };
  return withCircuitBreakers(
    clients,
    { ...DEFAULT_BREAKER, ...config.breaker },
    config.onBreakerChange,
  );
}

function keysOf(
  keys: AwsCredentialsConfig | ReadonlyMap<string, AwsCredentialsConfig> | undefined,
  region: string,
): AwsCredentialsConfig | undefined {
  return keys instanceof Map ? keys.get(region) : (keys as AwsCredentialsConfig | undefined);
}

function staticCredentials(keys: AwsCredentialsConfig): CredentialsProvider {
  const value = Object.freeze({ ...keys });
  return () => Promise.resolve(value);
}
