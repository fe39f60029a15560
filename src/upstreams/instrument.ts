import type { ErrorCode } from '../errors.js';
import { UpstreamError } from '../errors.js';
import type { Logger } from '../logger.js';
import { traceUpstreamCall } from '../tracing.js';
import type { ImportExportUpstream, IotUpstream, SourceName, Upstreams } from './types.js';

/**
 * One event per upstream call (its retries included), for logs and metrics. Each call hands the
 * client an `onAttempt` hook that counts its attempts.
 */

export interface UpstreamCallEvent {
  readonly source: SourceName;
  readonly operation: string;
  readonly durationMs: number;
  readonly outcome: 'ok' | ErrorCode;
  readonly attempts: number;
  /** The upstream's own error code, when it gave one (never its message). */
  readonly upstreamCode?: string | undefined;
}

export type UpstreamCallObserver = (event: UpstreamCallEvent) => void;

async function observed<T>(
  source: SourceName,
  operation: string,
  options: ObserveOptions,
  call: (onAttempt: () => void) => Promise<T>,
): Promise<T> {
  const { observe } = options;
  const store = { attempts: 0 };
  const started = performance.now();
  const run = () =>
    call(() => {
      store.attempts++;
    });
  try {
    options.admit?.(source, operation);
    const result = await (options.traced
      ? traceUpstreamCall(source, operation, run, () => store.attempts)
      : run());
    observe({
      source,
      operation,
      durationMs: performance.now() - started,
      outcome: 'ok',
      attempts: store.attempts,
    });
    return result;
  } catch (error) {
    const failure = error instanceof UpstreamError ? error : undefined;
    observe({
      source,
      operation,
      durationMs: performance.now() - started,
      outcome: failure?.code ?? 'UPSTREAM_BAD_RESPONSE',
      attempts: store.attempts,
      upstreamCode: failure?.upstreamCode,
    });
    throw error;
  }
}

export interface ObserveOptions {
  readonly observe: UpstreamCallObserver;
  /** Each call also gets an OpenTelemetry span. */
  readonly traced: boolean;
  /** Asked before every call; throwing an UpstreamError refuses the call (it is still observed). */
  readonly admit?: ((source: SourceName, operation: string) => void) | undefined;
}

/** The same upstreams, reporting every call to `observe`. */
export function observeUpstreams(upstreams: Upstreams, options: ObserveOptions): Upstreams {
  const { iot: i, importExport: x } = upstreams;
  const iot: IotUpstream = {
    source: 'IOT',
    listJobs: (input) =>
      observed('IOT', 'ListJobs', options, (onAttempt) => i.listJobs({ ...input, onAttempt })),
    describeJob: (id, o) =>
      observed('IOT', 'DescribeJob', options, (onAttempt) =>
        i.describeJob(id, { ...o, onAttempt }),
      ),
    describeThingGroup: (name, o) =>
      observed('IOT', 'DescribeThingGroup', options, (onAttempt) =>
        i.describeThingGroup(name, { ...o, onAttempt }),
      ),
    destroy: () => i.destroy(),
  };
  const importExport: ImportExportUpstream = {
    source: 'IMPORT_EXPORT',
    listJobs: (input) =>
      observed('IMPORT_EXPORT', 'ListJobs', options, (onAttempt) =>
        x.listJobs({ ...input, onAttempt }),
      ),
    getStatus: (id, o) =>
      observed('IMPORT_EXPORT', 'GetStatus', options, (onAttempt) =>
        x.getStatus(id, { ...o, onAttempt }),
      ),
    destroy: () => x.destroy(),
  };
  return { iot, importExport };
}

/** The log line of an upstream call. Failures are warnings: the client got a coded error. */
export function logUpstreamCall(log: Logger): UpstreamCallObserver {
  const successes = log.isLevelEnabled('debug');
  return (event) => {
    if (event.outcome === 'ok' && !successes) return;
    const line = {
      upstream: event.source,
      operation: event.operation,
      durationMs: Math.round(event.durationMs * 10) / 10,
      outcome: event.outcome,
      attempts: event.attempts,
      ...(event.upstreamCode ? { upstreamCode: event.upstreamCode } : {}),
    };
    if (event.outcome === 'ok') log.debug(line, 'upstream call');
    else log.warn(line, 'upstream call failed');
  };
}
