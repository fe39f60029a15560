import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialsConfig, Config } from '../config.js';
import { createImportExportUpstream } from './import-export/client.js';
import { createIotUpstream } from './iot/client.js';
import { DEFAULT_RETRY_POLICY, RetryBudget, type RetryPolicy } from './retry.js';
import type { CredentialsProvider, Upstreams } from './types.js';

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
  /** @default DEFAULT_RETRY_POLICY with `upstreamMaxAttempts` */
  readonly retry?: RetryPolicy | undefined;
};

/**
 * One long-lived client per upstream, sharing one credentials provider (which caches and
 * refreshes) and each with its own retry budget, so a failing upstream spends only its own.
 */
export function createUpstreams(config: UpstreamsConfig, endpoints: UpstreamEndpoints): Upstreams {
  let chain: CredentialsProvider | undefined;
  const credentialsFor = (keys: AwsCredentialsConfig | undefined): CredentialsProvider => {
    if (keys) return staticCredentials(keys);
    chain ??= fromNodeProviderChain();
    return chain;
  };
  const retry = {
    ...(config.retry ?? DEFAULT_RETRY_POLICY),
    maxAttempts: config.upstreamMaxAttempts,
  };
  return {
    iot: createIotUpstream({
      endpoint: endpoints.iot,
      region: config.awsRegion,
      credentials: credentialsFor(config.credentials?.iot),
      timeoutMs: config.upstreamTimeoutMs,
      retry,
      budget: new RetryBudget(),
    }),
    importExport: createImportExportUpstream({
      endpoint: endpoints.importExport,
      credentials: credentialsFor(config.credentials?.importExport),
      timeoutMs: config.upstreamTimeoutMs,
      retry,
      budget: new RetryBudget(),
    }),
  };
}

function staticCredentials(keys: AwsCredentialsConfig): CredentialsProvider {
  const value = Object.freeze({ ...keys });
  return () => Promise.resolve(value);
}
