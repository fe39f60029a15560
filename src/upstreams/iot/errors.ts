import { type ErrorCode, UpstreamError } from '../../errors.js';

/**
 * Whatever the SDK throws, as a classified UpstreamError. Classification goes by the error code
 * first and the HTTP status second, because IoT answers ThrottlingException with a 400. Only the
 * code, the status and the request id survive: the SDK error holds the upstream's message and the
 * raw response, neither of which may reach a client or a log line, so it is not kept as a cause.
 */

const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'TransactionInProgressException',
]);

const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalFailureException',
  'InternalFailure',
  'InternalServerException',
  'InternalServerError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const AUTH_CODES: ReadonlySet<string> = new Set([
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedException',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'CredentialsProviderError',
  'TokenProviderError',
]);

const BAD_INPUT_CODES: ReadonlySet<string> = new Set([
  'InvalidRequestException',
  'ValidationException',
  // moto's answer to a stale or foreign nextToken.
  'InvalidToken',
]);

/** Socket-level failures: the request may not have reached the service, so it may be retried. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Codes we pass on must look like codes: a hostile upstream could put anything in a header. */
const SAFE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Thrown by the client's wrapper around the credentials provider, so that a provider failure (no
 * credentials in the chain, an expired SSO session) is told apart from a service answer.
 */
export class CredentialsUnavailableError extends Error {
  override readonly name = 'CredentialsUnavailableError';
}

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly requestId?: unknown };
}

function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && SAFE_CODE.test(value) ? value : undefined;
}

export function classifyIotError(error: unknown, region?: string): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const make = (
    code: ErrorCode,
    upstreamCode: string | undefined,
    httpStatus: number | undefined,
    requestId: string | undefined,
  ) => new UpstreamError(code, 'IOT', { upstreamCode, httpStatus, requestId, region });
  if (error instanceof CredentialsUnavailableError) {
    return make('UPSTREAM_NO_CREDENTIALS', 'CredentialsUnavailable', undefined, undefined);
  }
  if (typeof error !== 'object' || error === null) {
    return make('UPSTREAM_BAD_RESPONSE', undefined, undefined, undefined);
  }
  const e = error as SdkErrorShape;
  const name = safeCode(e.name);
  const status =
    typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const requestId = safeCode(e.$metadata?.requestId);

  const nodeCode = safeCode(e.code);
  if (nodeCode !== undefined && NETWORK_CODES.has(nodeCode)) {
    return make('UPSTREAM_UNAVAILABLE', nodeCode, status, requestId);
  }
  // node:http's own wording for a peer that closed the socket before answering; it has no code.
  if (
    name === 'TimeoutError' ||
    (typeof e.message === 'string' && e.message === 'socket hang up')
  ) {
    return make(
      'UPSTREAM_UNAVAILABLE',
      name === 'TimeoutError' ? name : 'ECONNRESET',
      status,
      requestId,
    );
  }
  if (name === 'AbortError') return make('UPSTREAM_TIMEOUT', name, status, requestId);

  // A service exception carries `$fault`; anything else with a status is a response the SDK
  // could not deserialize (a truncated body, HTML from a proxy), whose name is not a service code.
  const serviceCode = e.$fault === 'client' || e.$fault === 'server' ? name : undefined;
  if (serviceCode !== undefined && THROTTLING_CODES.has(serviceCode)) {
    return make('UPSTREAM_THROTTLED', serviceCode, status, requestId);
  }
  if (status === 429) return make('UPSTREAM_THROTTLED', serviceCode, status, requestId);
  if ((serviceCode !== undefined && UNAVAILABLE_CODES.has(serviceCode)) || (status ?? 0) >= 500) {
    return make('UPSTREAM_UNAVAILABLE', serviceCode, status, requestId);
  }
  if (
    (serviceCode !== undefined && AUTH_CODES.has(serviceCode)) ||
    status === 401 ||
    status === 403 ||
    (name !== undefined && AUTH_CODES.has(name))
  ) {
    return make('UPSTREAM_AUTH', serviceCode ?? name, status, requestId);
  }
  if (serviceCode === 'ResourceNotFoundException') {
    return make('NOT_FOUND', serviceCode, status, requestId);
  }
  if (serviceCode !== undefined && BAD_INPUT_CODES.has(serviceCode)) {
    return make('BAD_USER_INPUT', serviceCode, status, requestId);
  }
  return make('UPSTREAM_BAD_RESPONSE', serviceCode ?? name, status, requestId);
}
