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
  /** For a regional upstream (IoT). */
  readonly region?: string | undefined;
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
  region: string | undefined,
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
      region,
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
      region,
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

/**
 * The same upstreams, reporting every call to `observe`. Made for every request, so each client is
 * wrapped when the request first uses it: most requests use one region, or none.
 */
export function observeUpstreams(upstreams: Upstreams, options: ObserveOptions): Upstreams {
  const observeIot = (region: string, i: IotUpstream): IotUpstream => ({
    source: 'IOT',
    region,
    listJobs: (input) =>
      observed('IOT', region, 'ListJobs', options, (onAttempt) =>
        i.listJobs({ ...input, onAttempt }),
      ),
    describeJob: (id, o) =>
      observed('IOT', region, 'DescribeJob', options, (onAttempt) =>
        i.describeJob(id, { ...o, onAttempt }),
      ),
    describeThingGroup: (name, o) =>
      observed('IOT', region, 'DescribeThingGroup', options, (onAttempt) =>
        i.describeThingGroup(name, { ...o, onAttempt }),
      ),
    destroy: () => i.destroy(),
  });
  const observeImportExport = (x: ImportExportUpstream): ImportExportUpstream => ({
    source: 'IMPORT_EXPORT',
    listJobs: (input) =>
      observed('IMPORT_EXPORT', undefined, 'ListJobs', options, (onAttempt) =>
        x.listJobs({ ...input, onAttempt }),
      ),
    getStatus: (id, o) =>
      observed('IMPORT_EXPORT', undefined, 'GetStatus', options, (onAttempt) =>
        x.getStatus(id, { ...o, onAttempt }),
      ),
    destroy: () => x.destroy(),
  });
  let importExport: ImportExportUpstream | undefined;
  return {
    iot: new WrappedOnUse(upstreams.iot, observeIot),
    get importExport() {
      importExport ??= observeImportExport(upstreams.importExport);
      return importExport;
    },
  };
}

/** A map whose values are wrapped the first time they are asked for. */
class WrappedOnUse<V> implements ReadonlyMap<string, V> {
  private readonly wrapped = new Map<string, V>();

  constructor(
    private readonly inner: ReadonlyMap<string, V>,
    private readonly wrap: (key: string, value: V) => V,
  ) {}

  get size(): number {
    return this.inner.size;
  }

  get(key: string): V | undefined {
    let value = this.wrapped.get(key);
    if (value === undefined) {
      const raw = this.inner.get(key);
      if (raw === undefined) return undefined;
      value = this.wrap(key, raw);
      this.wrapped.set(key, value);
    }
    return value;
  }

  has(key: string): boolean {
    return this.inner.has(key);
  }

  keys(): MapIterator<string> {
    return this.inner.keys();
  }

  *values(): MapIterator<V> {
    for (const key of this.inner.keys()) yield this.get(key) as V;
  }

  *entries(): MapIterator<[string, V]> {
    for (const key of this.inner.keys()) yield [key, this.get(key) as V];
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}

/** The log line of an upstream call. Failures are warnings: the client got a coded error. */
export function logUpstreamCall(log: Logger): UpstreamCallObserver {
  const successes = log.isLevelEnabled('debug');
  return (event) => {
    if (event.outcome === 'ok' && !successes) return;
    const line = {
      upstream: event.source,
      ...(event.region ? { region: event.region } : {}),
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

/** Enum values are upstream text: logged only when they look like enum values. */
const PRINTABLE_VALUE = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Distinct unknown values remembered for logging once each; past this, they are only counted. */
const MAX_REMEMBERED_VALUES = 256;

/**
 * What becomes of an enum value the schema does not know: a warning the first time each value is
 * seen (per field), and a count every time.
 */
export function reportUnknownValues(
  log: Logger,
  metrics: { unknownValue(source: SourceName, field: string): void } | undefined,
): (source: SourceName, field: string, value: string) => void {
  const seen = new Set<string>();
  return (source, field, value) => {
    metrics?.unknownValue(source, field);
    const shown = PRINTABLE_VALUE.test(value) ? value : '(not printable)';
    const key = `${field}\u0000${shown}`;
    if (seen.has(key) || seen.size >= MAX_REMEMBERED_VALUES) return;
    seen.add(key);
    log.warn(
      { upstream: source, field, value: shown },
      'an upstream sent a value the schema does not know; clients see UNKNOWN and the raw text',
    );
  };
}
