import { type ErrorCode, UpstreamError } from '../../errors.js';
import { readErrorResponse } from './xml.js';

/**
 * Import/Export failures as UpstreamErrors. The service models no HTTP status for its errors, so
 * the `Error/Code` decides and the status only breaks ties (a throttle arrives as 400 or 503
 * depending on the front end). What is kept: the upstream code, the status and the request id.
 * What is dropped on purpose: the upstream's message text, headers, the signature, credentials.
 */

const SOURCE = 'IMPORT_EXPORT';

const CODES: ReadonlyMap<string, ErrorCode> = new Map<string, ErrorCode>([
  // The credentials or the signature: retrying cannot help.
  ['InvalidAccessKeyIdException', 'UPSTREAM_AUTH'],
  ['InvalidAccessKeyId', 'UPSTREAM_AUTH'],
  ['InvalidClientTokenId', 'UPSTREAM_AUTH'],
  ['InvalidClientTokenIdException', 'UPSTREAM_AUTH'],
  ['SignatureDoesNotMatch', 'UPSTREAM_AUTH'],
  ['IncompleteSignature', 'UPSTREAM_AUTH'],
  ['IncompleteSignatureException', 'UPSTREAM_AUTH'],
  ['InvalidSignatureException', 'UPSTREAM_AUTH'],
  ['MissingAuthenticationTokenException', 'UPSTREAM_AUTH'],
  ['MissingAuthenticationToken', 'UPSTREAM_AUTH'],
  ['AuthFailure', 'UPSTREAM_AUTH'],
  ['RequestExpired', 'UPSTREAM_AUTH'],
  ['ExpiredToken', 'UPSTREAM_AUTH'],
  ['ExpiredTokenException', 'UPSTREAM_AUTH'],
  ['AccessDenied', 'UPSTREAM_AUTH'],
  ['AccessDeniedException', 'UPSTREAM_AUTH'],
  ['UnrecognizedClientException', 'UPSTREAM_AUTH'],
  // The throttling codes the AWS SDKs retry on, whatever the HTTP status.
  ['Throttling', 'UPSTREAM_THROTTLED'],
  ['ThrottlingException', 'UPSTREAM_THROTTLED'],
  ['ThrottledException', 'UPSTREAM_THROTTLED'],
  ['RequestThrottled', 'UPSTREAM_THROTTLED'],
  ['RequestThrottledException', 'UPSTREAM_THROTTLED'],
  ['TooManyRequestsException', 'UPSTREAM_THROTTLED'],
  ['ProvisionedThroughputExceededException', 'UPSTREAM_THROTTLED'],
  ['RequestLimitExceeded', 'UPSTREAM_THROTTLED'],
  ['BandwidthLimitExceeded', 'UPSTREAM_THROTTLED'],
  ['LimitExceededException', 'UPSTREAM_THROTTLED'],
  ['SlowDown', 'UPSTREAM_THROTTLED'],
  ['PriorRequestNotComplete', 'UPSTREAM_THROTTLED'],
  ['EC2ThrottledException', 'UPSTREAM_THROTTLED'],
  ['TransactionInProgressException', 'UPSTREAM_THROTTLED'],
  // Transient on the server's side.
  ['ServiceUnavailable', 'UPSTREAM_UNAVAILABLE'],
  ['ServiceUnavailableException', 'UPSTREAM_UNAVAILABLE'],
  ['InternalError', 'UPSTREAM_UNAVAILABLE'],
  ['InternalFailure', 'UPSTREAM_UNAVAILABLE'],
  ['InternalServerError', 'UPSTREAM_UNAVAILABLE'],
  ['RequestTimeout', 'UPSTREAM_UNAVAILABLE'],
  ['RequestTimeoutException', 'UPSTREAM_UNAVAILABLE'],
  // The job does not exist for this account, or no longer does.
  ['InvalidJobIdException', 'NOT_FOUND'],
  ['ExpiredJobIdException', 'NOT_FOUND'],
  ['CanceledJobIdException', 'NOT_FOUND'],
  // The request itself: a Marker the service does not know, a bad MaxJobs.
  ['InvalidParameterException', 'BAD_USER_INPUT'],
  ['InvalidParameterValue', 'BAD_USER_INPUT'],
  ['MissingParameterException', 'BAD_USER_INPUT'],
  ['MissingParameter', 'BAD_USER_INPUT'],
  ['InvalidVersionException', 'BAD_USER_INPUT'],
]);

/** A non-2xx answer (or a 2xx that carried an ErrorResponse) as a classified error. */
export function errorFromResponse(
  status: number,
  body: string,
  headerRequestId?: string,
): UpstreamError {
  const parsed = readErrorResponse(body);
  return errorFromCode(status, parsed?.code, parsed?.requestId ?? headerRequestId);
}

export function errorFromCode(
  status: number,
  upstreamCode: string | undefined,
  requestId: string | undefined,
): UpstreamError {
  return new UpstreamError(codeFor(status, upstreamCode), SOURCE, {
    upstreamCode,
    httpStatus: status,
    requestId,
  });
}

function codeFor(status: number, upstreamCode: string | undefined): ErrorCode {
  const known = upstreamCode === undefined ? undefined : CODES.get(upstreamCode);
  if (known !== undefined) return known;
  if (status === 429) return 'UPSTREAM_THROTTLED';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  if (status === 401 || status === 403) return 'UPSTREAM_AUTH';
  // An unknown 4xx code or a body that is no ErrorResponse: nothing this client understands.
  return 'UPSTREAM_BAD_RESPONSE';
}

/**
 * Node's transport failures: the connection was refused, reset or dropped before an answer.
 * Retried as UPSTREAM_UNAVAILABLE, with the errno code (never a message) kept as `upstreamCode`.
 */
export function networkError(error: unknown): UpstreamError {
  const code = (error as { code?: unknown } | null)?.code;
  return new UpstreamError('UPSTREAM_UNAVAILABLE', SOURCE, {
    upstreamCode: typeof code === 'string' ? code : undefined,
    cause: error,
  });
}

/**
 * The `classify` of callWithRetry (deadlines are handled there). What the client throws is an
 * UpstreamError already, or an XmlShapeError from a body that could not be read; anything else is
 * a fault of this process, which must not be retried either.
 */
export function classifyImportExportError(error: unknown): UpstreamError {
  return error instanceof UpstreamError
    ? error
    : new UpstreamError('UPSTREAM_BAD_RESPONSE', SOURCE, { cause: error });
}
