import { UpstreamError } from '../errors.js';
import type { CircuitBreaker, UpstreamHealth } from '../upstreams/breaker.js';
import { TokenRefusedError } from './types.js';

/**
 * Every argument of a list call but the continuation is checked before the call, so an upstream's
 * "invalid request" answer to a call that carries one is about the continuation: expired, or
 * pointing at a job that no longer exists.
 */
export function refusedToken(error: unknown, token: string | null): unknown {
  if (token !== null && error instanceof UpstreamError && error.code === 'BAD_USER_INPUT') {
    return new TokenRefusedError('the upstream refused a continuation it had issued', {
      cause: error,
    });
  }
  return error;
}

/** A source's health, from its breaker. */
export function healthOf(breaker: CircuitBreaker | undefined): UpstreamHealth {
  return breaker?.health() ?? { breaker: 'closed', calls: 0, successRatio: 1 };
}

/** True when a read by id failed because the upstream has no such job. */
function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { extensions?: { code?: unknown } }).extensions?.code === 'NOT_FOUND'
  );
}

/** A job read by id, or null when the upstream has none. */
export async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
