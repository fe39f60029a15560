import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialsConfig, Config } from '../config.js';
import {
  type BreakerOptions,
  type BreakerState,
  DEFAULT_BREAKER,
  type GuardedUpstreams,
  withCircuitBreakers,
} from './breaker.js';
import { createImportExportUpstream } from './import-export/client.js';
import { createIotUpstream } from './iot/client.js';
import { DEFAULT_RETRY_POLICY, RetryBudget, type RetryPolicy } from './retry.js';
import type { CredentialsProvider, SourceName } from './types.js';

export interface UpstreamEndpoints {
  /** Undefined: the real regional IoT endpoint. */
  readonly iot: string | undefined;
  /** Undefined: the real global Import/Export endpoint. */
  readonly importExport: string | undefined;
}

export type UpstreamsConfig = Pick<
  Config,
  'awsRegion' | 'upstreamTimeoutMs' | 'upstreamMaxAttempts'
> & {
  /**
   * Static keys per upstream (the embedded simulators); an upstream without any uses the standard
   * AWS provider chain.
   */
  readonly credentials?: {
    readonly iot?: AwsCredentialsConfig | undefined;
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
  readonly onBreakerChange?: ((state: BreakerState, source: SourceName) => void) | undefined;
  /** Called after every attempt of every call (the first included), for metrics. */
  readonly onAttempt?: ((source: SourceName, attempt: number) => void) | undefined;
};

/**
 * One long-lived client per upstream, sharing one credentials provider (which caches and
 * refreshes), each with its own retry budget and circuit breaker, so a failing upstream spends
 * only its own.
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
  const clients = {
    iot: createIotUpstream({
      endpoint: endpoints.iot,
      region: config.awsRegion,
      credentials: credentialsFor(config.credentials?.iot),
      timeoutMs: config.upstreamTimeoutMs,
      retry,
      budget: budget(),
      onAttempt,
    }),
    importExport: createImportExportUpstream({
      endpoint: endpoints.importExport,
      credentials: credentialsFor(config.credentials?.importExport),
      timeoutMs: config.upstreamTimeoutMs,
      retry,
      budget: budget(),
      onAttempt,
    }),
  };
  return withCircuitBreakers(
    clients,
    { ...DEFAULT_BREAKER, ...config.breaker },
    config.onBreakerChange,
  );
}

function staticCredentials(keys: AwsCredentialsConfig): CredentialsProvider {
  const value = Object.freeze({ ...keys });
  return () => Promise.resolve(value);
}
