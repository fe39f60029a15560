import { createHash } from 'node:crypto';
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

export interface ConfiguredUpstreams extends GuardedUpstreams {
  /**
   * A stable, non-secret identifier of what each upstream serves to these credentials, by upstream
   * key (`IOT:<region>`, `IMPORT_EXPORT`): reads shared between requests and replicas are keyed by
   * it, so that two gateways with different endpoints or credentials never share one.
   */
  readonly identities: ReadonlyMap<string, () => Promise<string>>;
}

/**
 * One long-lived client per upstream and IoT region, sharing one credentials provider (which
 * caches and refreshes), each with its own retry budget and circuit breaker, so a failing upstream
 * or region spends only its own.
 */
export function createUpstreams(
  config: UpstreamsConfig,
  endpoints: UpstreamEndpoints,
): ConfiguredUpstreams {
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
  const identities = new Map<string, () => Promise<string>>();
  for (const [region, endpoint] of endpoints.iot) {
    const credentials = credentialsFor(keysOf(config.credentials?.iot, region));
    identities.set(`IOT:${region}`, identityOf(endpoint ?? `aws:iot:${region}`, credentials));
    iot.set(
      region,
      createIotUpstream({
        endpoint,
        region,
        credentials,
        timeoutMs: config.upstreamTimeoutMs,
        retry,
        budget: budget(),
        onAttempt,
        onUnknownValue: unknownOf('IOT'),
      }),
    );
  }
  const importExportCredentials = credentialsFor(config.credentials?.importExport);
  identities.set(
    'IMPORT_EXPORT',
    identityOf(endpoints.importExport ?? 'aws:importexport', importExportCredentials),
  );
  const clients = {
    iot,
    importExport: createImportExportUpstream({
      endpoint: endpoints.importExport,
      credentials: importExportCredentials,
      timeoutMs: config.upstreamTimeoutMs,
      retry,
      budget: budget(),
      onAttempt,
      onUnknownValue: unknownOf('IMPORT_EXPORT'),
    }),
  };
  const guarded = withCircuitBreakers(
    clients,
    { ...DEFAULT_BREAKER, ...config.breaker },
    config.onBreakerChange,
  );
  return Object.assign(guarded, { identities });
}

/**
 * A digest of the endpoint and of whom the credentials belong to: the account when the provider
 * says (role credentials carry it, and every session of a role, on every replica, is the same
 * account), else the access key id. Never the secret. Computed once per credentials object, which
 * the provider caches and renews.
 */
function identityOf(endpoint: string, provider: CredentialsProvider): () => Promise<string> {
  const known = new WeakMap<object, string>();
  return async () => {
    const credentials = await provider();
    let identity = known.get(credentials);
    if (identity === undefined) {
      const account = (credentials as { accountId?: unknown }).accountId;
      const principal =
        typeof account === 'string' && account !== ''
          ? `account:${account}`
          : `key:${credentials.accessKeyId}`;
      identity = createHash('sha256')
        .update(`${endpoint}\n${principal}`)
        .digest('base64url')
        .slice(0, 22);
      known.set(credentials, identity);
    }
    return identity;
  };
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
