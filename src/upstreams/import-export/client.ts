import http from 'node:http';
import https from 'node:https';
import { UpstreamError } from '../../errors.js';
import {
  callWithRetry,
  DEFAULT_RETRY_POLICY,
  RetryBudget,
  type UpstreamClientOptions,
} from '../retry.js';
import type {
  CallOptions,
  CredentialsProvider,
  ImportExportJobPage,
  ImportExportListJobsInput,
  ImportExportStatusRecord,
  ImportExportUpstream,
} from '../types.js';
import {
  classifyImportExportError,
  errorFromCode,
  errorFromResponse,
  networkError,
} from './errors.js';
import { badResponse, toJobPage, toStatusRecord } from './mappers.js';
import { signV2 } from './sigv2.js';
import { readGetStatusResponse, readListJobsResponse, XmlShapeError } from './xml.js';

/**
 * The AWS Import/Export client: the legacy query protocol (form POST to `/`, XML answers) signed
 * with Signature Version 2. There is no SDK v3 client for this service, and node:http with one
 * keep-alive agent costs less per call than fetch on Node 20.
 */

export interface ImportExportUpstreamOptions extends UpstreamClientOptions {
  /** Any server that speaks the protocol. @default https://importexport.amazonaws.com */
  readonly endpoint?: string | undefined;
  /** The clock of the signature's Timestamp. @default () => new Date() */
  readonly clock?: (() => Date) | undefined;
  /** A larger answer is refused rather than buffered. @default 5 MiB */
  readonly maxResponseBytes?: number | undefined;
}

export const DEFAULT_IMPORT_EXPORT_ENDPOINT = 'https://importexport.amazonaws.com';
const API_VERSION = '2010-06-01';
const MAX_JOBS_LIMIT = 1000;

interface RawResponse {
  readonly status: number;
  readonly body: string;
  /** Query services also send the request id as a header, useful when the body has none. */
  readonly requestId: string | undefined;
}

export function createImportExportUpstream(
  options: ImportExportUpstreamOptions,
): ImportExportUpstream {
  const url = new URL(options.endpoint ?? DEFAULT_IMPORT_EXPORT_ENDPOINT);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Import/Export endpoint must be http(s), got ${url.protocol}`);
  }
  const secure = url.protocol === 'https:';
  const transport = secure ? https : http;
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 50 };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  // URL.host is lowercase and omits the scheme's default port, exactly as the Host header that
  // node:http sends and the server signs; SigV2 fails if the two differ by so much as `:443`.
  const signedHost = url.host;
  const path = url.pathname === '' ? '/' : url.pathname;
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? undefined : Number(url.port);
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const budget = options.budget ?? new RetryBudget();
  const clock = options.clock ?? (() => new Date());
  const maxBytes = options.maxResponseBytes ?? 5 * 1024 * 1024;

  function post(body: string, signal: AbortSignal): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const request = transport.request(
        {
          agent,
          hostname,
          port,
          path,
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
            'content-length': Buffer.byteLength(body),
            'accept-encoding': 'identity',
            'user-agent': 'jobs-gateway',
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const header = response.headers['x-amzn-requestid'];
          const requestId = typeof header === 'string' && header !== '' ? header : undefined;
          if (Number(response.headers['content-length']) > maxBytes) {
            request.destroy();
            reject(badResponse('response too large', requestId));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              request.destroy();
              reject(badResponse('response too large', requestId));
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () => {
            const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
            resolve({ status, body: bytes.toString('utf8'), requestId });
          });
          response.on('error', (error) => reject(networkError(error)));
          response.on('close', () => {
            if (!response.complete) reject(networkError(new Error('response cut short')));
          });
        },
      );
      request.on('error', (error) => reject(networkError(error)));
      // An abort (deadline, caller gone) destroys the socket: a hung upstream is let go of. One
      // listener, removed with the request; the `signal` option of http.request would tie
      // several more to the request's stream for the same effect.
      const onAbort = () => request.destroy(new Error('aborted', { cause: signal.reason }));
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        request.once('close', () => signal.removeEventListener('abort', onAbort));
      }
      request.end(body);
    });
  }

  async function call<T>(
    operation: 'ListJobs' | 'GetStatus',
    params: Record<string, string>,
    callOptions: CallOptions | undefined,
    read: (response: RawResponse) => T,
  ): Promise<T> {
    const onAttempt = options.onAttempt;
    return callWithRetry(
      {
        source: 'IMPORT_EXPORT',
        policy,
        budget,
        timeoutMs: options.timeoutMs,
        signal: callOptions?.signal,
        onCallAttempt: callOptions?.onAttempt,
        classify: classifyImportExportError,
        onAttempt: onAttempt && ((outcome) => onAttempt({ ...outcome, operation })),
      },
      async (attempt) => {
        let credentials: Awaited<ReturnType<CredentialsProvider>>;
        try {
          credentials = await options.credentials();
        } catch (error) {
          // Nothing was sent, so nothing was refused: not UPSTREAM_AUTH.
          throw new UpstreamError('UPSTREAM_NO_CREDENTIALS', 'IMPORT_EXPORT', { cause: error });
        }
        // Signed per attempt: a retry carries a fresh Timestamp.
        const { body } = signV2({
          params: { Action: operation, Version: API_VERSION, ...params },
          host: signedHost,
          path,
          credentials,
          date: clock(),
        });
        const response = await post(body, attempt.signal);
        if (response.status < 200 || response.status > 299) {
          throw errorFromResponse(response.status, response.body, response.requestId);
        }
        try {
          return read(response);
        } catch (error) {
          if (!(error instanceof XmlShapeError)) throw error;
          throw new UpstreamError('UPSTREAM_BAD_RESPONSE', 'IMPORT_EXPORT', {
            httpStatus: response.status,
            requestId: response.requestId,
            cause: error,
          });
        }
      },
    );
  }

  return {
    source: 'IMPORT_EXPORT',

    async listJobs(input: ImportExportListJobsInput): Promise<ImportExportJobPage> {
      const { maxJobs, marker } = input;
      if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > MAX_JOBS_LIMIT) {
        throw new UpstreamError('BAD_USER_INPUT', 'IMPORT_EXPORT', {
          cause: new RangeError(`maxJobs must be an integer from 1 to ${MAX_JOBS_LIMIT}`),
        });
      }
      const params: Record<string, string> = { MaxJobs: String(maxJobs) };
      if (marker) params.Marker = marker;
      return call('ListJobs', params, input, (response) => {
        const parsed = readListJobsResponse(response.body);
        if (parsed.kind === 'error') {
          throw errorFromCode(response.status, parsed.code, parsed.requestId ?? response.requestId);
        }
        return toJobPage(parsed, options.onUnknownValue);
      });
    },

    async getStatus(jobId: string, callOptions?: CallOptions): Promise<ImportExportStatusRecord> {
      return call('GetStatus', { JobId: jobId }, callOptions, (response) => {
        const parsed = readGetStatusResponse(response.body);
        if (parsed.kind === 'error') {
          throw errorFromCode(response.status, parsed.code, parsed.requestId ?? response.requestId);
        }
        return toStatusRecord(parsed, jobId, options.onUnknownValue);
      });
    },

    destroy(): void {
      agent.destroy();
    },
  };
}
