import { GraphQLError } from 'graphql';
import type { SourceName } from './upstreams/types.js';

/**
 * The stable error codes of the gateway. Clients branch on `extensions.code`; the messages are ours
 * and never carry an upstream's own text, a request header or a credential.
 */
export type ErrorCode =
  | 'UPSTREAM_THROTTLED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'UPSTREAM_AUTH'
  | 'UPSTREAM_NO_CREDENTIALS'
  | 'UPSTREAM_CALL_BUDGET_EXCEEDED'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CURSOR_EXPIRED';

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  UPSTREAM_THROTTLED: 'The upstream service is throttling requests.',
  UPSTREAM_UNAVAILABLE: 'The upstream service is unavailable.',
  UPSTREAM_TIMEOUT: 'The upstream service did not answer in time.',
  UPSTREAM_BAD_RESPONSE: 'The upstream service sent a response that could not be understood.',
  UPSTREAM_AUTH: 'The upstream service rejected the gateway credentials.',
  UPSTREAM_NO_CREDENTIALS: 'The gateway has no credentials for the upstream service.',
  UPSTREAM_CALL_BUDGET_EXCEEDED:
    'The request has used up its budget of upstream calls; ask for less in one request.',
  NOT_FOUND: 'No such job.',
  BAD_USER_INPUT: 'Invalid input.',
  CURSOR_EXPIRED:
    'The upstream no longer accepts the position this cursor holds. Start the walk again from the first page.',
};

const SOURCE_LABELS: Record<SourceName, string> = {
  IOT: 'AWS IoT',
  IMPORT_EXPORT: 'AWS Import/Export',
};

export interface UpstreamErrorOptions {
  /** The upstream's own error code (e.g. `ThrottlingException`): safe to log, never its message. */
  readonly upstreamCode?: string | undefined;
  readonly httpStatus?: number | undefined;
  readonly attempts?: number | undefined;
  readonly requestId?: string | undefined;
  /** The region of a regional upstream (IoT). */
  readonly region?: string | undefined;
  /** Kept for debugging in-process only; never serialised to a client or a log line. */
  readonly cause?: unknown;
}

/** A failed upstream call, already classified. The message is ours; see DEFAULT_MESSAGES. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly code: ErrorCode;
  readonly source: SourceName;
  readonly upstreamCode: string | undefined;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly region: string | undefined;
  attempts: number;

  constructor(code: ErrorCode, source: SourceName, options: UpstreamErrorOptions = {}) {
    const label = options.region
      ? `${SOURCE_LABELS[source]} (${options.region})`
      : SOURCE_LABELS[source];
    super(`${label}: ${DEFAULT_MESSAGES[code]}`);
    this.code = code;
    this.source = source;
    this.upstreamCode = safeToken(options.upstreamCode);
    this.httpStatus = options.httpStatus;
    this.requestId = safeToken(options.requestId);
    this.region = options.region;
    this.attempts = options.attempts ?? 1;
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
    }
  }

  /** Throttling, 5xx and network failures may succeed on another attempt; nothing else does. */
  get retryable(): boolean {
    return this.code === 'UPSTREAM_THROTTLED' || this.code === 'UPSTREAM_UNAVAILABLE';
  }
}

/**
 * An upstream's error code and request id are logged and (the id) shown to clients, so they must
 * look like what they claim to be: a hostile or broken upstream could put any text there.
 */
const SAFE_TOKEN = /^[A-Za-z0-9_.:-]{1,128}$/;

function safeToken(value: string | undefined): string | undefined {
  return value !== undefined && SAFE_TOKEN.test(value) ? value : undefined;
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}

/** A client mistake: a bad cursor, a bad `first`, a malformed id. Never reaches an upstream. */
export function badUserInput(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 200 }, ...extra },
  });
}

/** The client-facing form of an upstream failure. */
export function toGraphQLError(error: UpstreamError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: error.code,
      source: error.source,
      ...(error.region ? { region: error.region } : {}),
      ...(error.requestId ? { upstreamRequestId: error.requestId } : {}),
    },
  });
}

/**
 * The body of an error answered outside GraphQL execution (HTTP-level refusals): the shape of a
 * GraphQL error response, so that clients read every error the same way.
 */
export function errorBody(code: string, message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
