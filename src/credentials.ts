import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentials, CredentialsProvider } from './upstreams/types.js';

/**
 * AWS credentials from the standard provider chain (environment, shared config and SSO profiles,
 * web identity, container and instance roles), resolved once at start so that a gateway without
 * any says so in its start-up output instead of in every answer.
 *
 * The SDK's chain caches what it finds until it expires, but not a failure: walked again for
 * every call, a chain that finds nothing would add its metadata-service timeouts to every query.
 * After a failure the chain is walked again at most once per `retryAfterMs`; calls in between
 * fail at once, and the clients report them as UPSTREAM_NO_CREDENTIALS.
 */

export class NoCredentialsError extends Error {
  override readonly name = 'NoCredentialsError';
}

export interface ResolvedCredentials {
  readonly provider: CredentialsProvider;
  /** Whether the chain found credentials at start. */
  readonly found: boolean;
}

export interface ResolveOptions {
  /** @default the standard AWS provider chain */
  readonly chain?: CredentialsProvider | undefined;
  /** @default 30000 */
  readonly retryAfterMs?: number | undefined;
  /** @default Date.now */
  readonly now?: (() => number) | undefined;
}

export async function resolveCredentials(
  options: ResolveOptions = {},
): Promise<ResolvedCredentials> {
  const chain = options.chain ?? fromNodeProviderChain();
  const retryAfterMs = options.retryAfterMs ?? 30_000;
  const now = options.now ?? Date.now;
  let failedAt: number | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  const provider: CredentialsProvider = () => {
    if (failedAt !== undefined && now() - failedAt < retryAfterMs) {
      return Promise.reject(new NoCredentialsError('no AWS credentials found'));
    }
    pending ??= chain().then(
      (credentials) => {
        failedAt = undefined;
        pending = undefined;
        return credentials;
      },
      (cause: unknown) => {
        failedAt = now();
        pending = undefined;
        throw new NoCredentialsError('no AWS credentials found', { cause });
      },
    );
    return pending;
  };
  const found = await provider().then(
    () => true,
    () => false,
  );
  return { provider, found };
}
