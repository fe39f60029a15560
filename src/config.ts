import { randomBytes } from 'node:crypto';
import proxyaddr from 'proxy-addr';

/**
 * The only reader of the environment. Everything is parsed and validated once, at start, into a
 * frozen object; a bad value stops the process with one line that names the variable.
 */

export type UpstreamMode = 'simulated' | 'aws';

export interface SimulatorDataConfig {
  /** @default 42 */
  readonly seed: number;
  /** @default 1000 */
  readonly iotJobs: number;
  /** @default 300 */
  readonly importExportJobs: number;
}

export interface AwsCredentialsConfig {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface Config {
  /** @default 127.0.0.1 */
  readonly host: string;
  /** @default 4000 */
  readonly port: number;
  readonly nodeEnv: string;
  /** @default simulated */
  readonly upstreams: UpstreamMode;
  /** @default us-east-1 */
  readonly awsRegion: string;
  /** The IoT regions served, in merge order; the first is the default region. @default [awsRegion] */
  readonly iotRegions: readonly string[];
  /**
   * IoT endpoint per region (IOT_ENDPOINTS, else IOT_ENDPOINT); a region without one is simulated,
   * or real AWS in `aws` mode.
   */
  readonly iotEndpoints: ReadonlyMap<string, string>;
  /** What the gateway may assume of IoT's listing order. @default newest-first */
  readonly iotListOrder: 'newest-first' | 'unknown';
  /** Overrides the IoT endpoint of every region IOT_ENDPOINTS does not name. */
  readonly iotEndpoint: string | undefined;
  /** Overrides the Import/Export endpoint; no Import/Export simulator is started when set. */
  readonly importExportEndpoint: string | undefined;
  /** HMAC key of the cursors. */
  readonly cursorSecret: string;
  /** True when no CURSOR_SECRET was given and a random one is used for this process. */
  readonly cursorSecretGenerated: boolean;
  /** Deadline of one upstream call, retries included. @default 5000 */
  readonly upstreamTimeoutMs: number;
  /** Deadline of one GraphQL request. @default 10000 */
  readonly requestTimeoutMs: number;
  /** Attempts per upstream call, the first included. @default 3 */
  readonly upstreamMaxAttempts: number;
  /** How long a shutdown waits for requests in flight before closing them. @default 10000 */
  readonly shutdownTimeoutMs: number;
  /** Concurrent DescribeJob / GetStatus calls per request. @default 20 (a default page) */
  readonly detailConcurrency: number;
  /** @default info */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** GraphiQL at the GraphQL path. @default true, false when NODE_ENV=production */
  readonly graphiql: boolean;
  /** @default true, false when NODE_ENV=production */
  readonly introspection: boolean;
  /** Deepest selection allowed (introspection excepted). @default 10 */
  readonly maxDepth: number;
  /** Aliases per operation. @default 15 */
  readonly maxAliases: number;
  /** Lexical tokens per document. @default 2000 */
  readonly maxTokens: number;
  /** Directives per operation. @default 50 */
  readonly maxDirectives: number;
  /**
   * Cost per operation: the size of the answer, each field counted once per item it is asked of
   * (a connection multiplies what it holds by its page size). @default 20000
   */
  readonly maxComplexity: number;
  /**
   * Upstream calls one request may make: estimated from the document before the first call,
   * counted while it runs. @default 200
   */
  readonly maxUpstreamCalls: number;
  /** Bytes of a request body. @default 102400 */
  readonly maxBodyBytes: number;
  /** Operations per batched request; 0 turns batching off. @default 0 */
  readonly batchLimit: number;
  /** Origins browsers may call from; empty: no CORS headers (same origin only); `*`: any. */
  readonly corsOrigins: readonly string[];
  /** Require a header that a cross-site form or image cannot send. @default true */
  readonly csrfPrevention: boolean;
  /** Client API keys; empty turns client authentication off. @default empty */
  readonly apiKeys: readonly string[];
  /**
   * Per-client rate limit, in upstream calls: a token bucket per API key (or client address)
   * refilled at this many calls a minute. 0 turns rate limiting off. @default 0
   */
  readonly rateLimitPerMinute: number;
  /** What a client's bucket holds when full. @default the larger of the rate and MAX_UPSTREAM_CALLS */
  readonly rateLimitBurst: number;
  /**
   * Proxies whose `X-Forwarded-For` is believed (addresses, CIDR ranges, or `loopback`,
   * `linklocal`, `uniquelocal`). Empty: the client address is the socket's. @default empty
   */
  readonly trustedProxies: readonly string[];
  /** Tokens of each upstream's retry budget. @default 500 */
  readonly retryBudget: number;
  /** How long an open circuit waits before a probe. @default 10000 */
  readonly breakerResetMs: number;
  /** Calls a circuit must see before it may open. @default 10 */
  readonly breakerMinimumCalls: number;
  /** Prometheus metrics at /metrics. @default true */
  readonly metrics: boolean;
  /** Serve /metrics on this port (on HOST) instead of the gateway's. @default none */
  readonly metricsPort: number | undefined;
  /** Require `Authorization: Bearer <token>` for /metrics. @default none */
  readonly metricsToken: string | undefined;
  /** Distinct operation names used as metric labels; later names are counted as `other`. @default 50 */
  readonly metricsOperationNames: number;
  /** How long after a request's first byte its line and headers must have arrived. @default 10000 */
  readonly clientHeadersTimeoutMs: number;
  /**
   * How much longer the rest (the body) may take: the whole request is due at the sum, from the
   * same first byte; then 408. @default 10000
   */
  readonly clientBodyTimeoutMs: number;
  /** OpenTelemetry spans for requests and upstream calls, exported over OTLP/HTTP. @default false */
  readonly tracing: boolean;
  /** OTLP/HTTP traces endpoint. @default the exporter's (http://localhost:4318/v1/traces) */
  readonly tracingEndpoint: string | undefined;
  /** @default jobs-gateway */
  readonly serviceName: string;
  /** Data of the embedded simulators. */
  readonly simulator: SimulatorDataConfig;
  /** Credentials for the embedded simulators (also what they accept). */
  readonly simulatorCredentials: AwsCredentialsConfig;
  /**
   * Redis shared by the replicas: the cache of upstream reads, the rate-limit buckets and the
   * automatic persisted queries. None: each replica keeps them in its own memory. @default none
   */
  readonly redisUrl: string | undefined;
  /** Deadline of every Redis command; past it the command counts as failed. @default 250 */
  readonly redisTimeoutMs: number;
  /** Put before every Redis key, so that deployments can share one Redis. @default jobs-gateway: */
  readonly redisKeyPrefix: string;
  /** How long a list page read upstream is served from the cache; 0: never cached. @default 0 */
  readonly pageCacheTtlMs: number;
  /** How long a DescribeJob / GetStatus result is served from the cache; 0: never cached. @default 0 */
  readonly detailCacheTtlMs: number;
  /** Size of the in-process cache used when there is no Redis, in MiB. @default 64 */
  readonly cacheMemoryMb: number;
  /** Which documents clients may send: `off`, `allowed` (any, plus persisted ones) or `required`. */
  readonly persistedDocuments: PersistedDocumentsMode;
  /** Path of the trusted-documents manifest (GraphQL Code Generator's persisted-documents.json). */
  readonly persistedDocumentsManifest: string | undefined;
  /**
   * The Federation subgraph at /subgraph, which takes any document a router plans (persisted
   * documents are for /graphql). @default true
   */
  readonly subgraph: boolean;
}

/**
 * `off`: documents only as text; `allowed`: text, documents of the manifest by id, and automatic
 * persisted queries; `required`: documents of the manifest only.
 */
export type PersistedDocumentsMode = 'off' | 'allowed' | 'required';

/** What the gateway itself (the yoga app, without the process around it) is configured by. */
export type GatewayConfig = Pick<
  Config,
  | 'cursorSecret'
  | 'requestTimeoutMs'
  | 'detailConcurrency'
  | 'graphiql'
  | 'introspection'
  | 'maxDepth'
  | 'maxAliases'
  | 'maxTokens'
  | 'maxDirectives'
  | 'maxComplexity'
  | 'maxUpstreamCalls'
  | 'maxBodyBytes'
  | 'batchLimit'
  | 'corsOrigins'
  | 'csrfPrevention'
  | 'apiKeys'
  | 'rateLimitPerMinute'
  | 'rateLimitBurst'
  | 'trustedProxies'
  | 'metricsPort'
  | 'metricsToken'
  | 'upstreamTimeoutMs'
  | 'pageCacheTtlMs'
  | 'detailCacheTtlMs'
  | 'cacheMemoryMb'
  | 'persistedDocuments'
  | 'subgraph'
>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

export const SIMULATOR_ACCESS_KEY_ID = 'AKIDEXAMPLE';
export const SIMULATOR_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

class Reader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return Number(value);
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${this.raw(name)}")`);
    return fallback;
  }

  /** A comma-separated list whose every item passes `valid`; the values are never echoed. */
  list(name: string, valid: (item: string) => boolean, requirement: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (items.length === 0 || !items.every(valid)) {
      this.problems.push(`${name} must be a comma-separated list of ${requirement}`);
      return [];
    }
    return items;
  }

  optionalInt(name: string, min: number, max: number): number | undefined {
    return this.raw(name) === undefined ? undefined : this.int(name, min, min, max);
  }

  /** A secret of at least `minLength` printable characters; never echoed in a message. */
  secret(name: string, minLength: number): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (value.length < minLength || !/^[\x21-\x7e]+$/.test(value)) {
      this.problems.push(`${name} must be at least ${minLength} printable characters`);
      return undefined;
    }
    return value;
  }

  url(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const url = checkedUrl(value);
    if (url === undefined) {
      this.problems.push(`${name} must be an http(s) URL without credentials (got "${value}")`);
    }
    return url;
  }

  host(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(value)) {
      this.problems.push(`${name} must be a host name or IP address (got "${value}")`);
      return fallback;
    }
    return value;
  }

  /** `region=url,region=url`; every region must be one of `regions`. */
  endpoints(name: string, regions: readonly string[]): Map<string, string> {
    const endpoints = new Map<string, string>();
    const value = this.raw(name);
    if (value === undefined) return endpoints;
    for (const item of value.split(',')) {
      const eq = item.indexOf('=');
      const region = item.slice(0, eq).trim();
      const url = eq > 0 ? checkedUrl(item.slice(eq + 1).trim()) : undefined;
      if (!regions.includes(region) || url === undefined || endpoints.has(region)) {
        this.problems.push(
          `${name} must be a comma-separated list of region=http(s)-URL, each region once and listed in IOT_REGIONS`,
        );
        return new Map();
      }
      endpoints.set(region, url);
    }
    return endpoints;
  }

  /** redis:// or rediss://; the URL may hold a password, so it is never echoed. */
  redisUrl(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) {
      this.problems.push(
        `${name} must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379`,
      );
      return undefined;
    }
    return value;
  }

  keyPrefix(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (!/^[\x21-\x7e]{1,64}$/.test(value)) {
      this.problems.push(`${name} must be 1 to 64 printable characters without spaces`);
      return fallback;
    }
    return value;
  }

  region(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (!REGION.test(value)) {
      this.problems.push(`${name} must be an AWS region such as us-east-1 (got "${value}")`);
      return fallback;
    }
    return value;
  }

  finish(): void {
    if (this.problems.length > 0) {
      throw new ConfigError(`invalid configuration: ${this.problems.join('; ')}`);
    }
  }
}

/** An http(s) URL without credentials, without its trailing slash; undefined otherwise. */
function checkedUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password) return undefined;
    return url.href.replace(/\/$/, '');
  } catch {
    return undefined;
  }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** What proxy-addr accepts as a trusted proxy. */
function validProxy(item: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(item)) return true;
  try {
    proxyaddr.compile(item);
    return true;
  } catch {
    return false;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): Config {
  const r = new Reader(env);
  const nodeEnv = r.string('NODE_ENV', 'development');
  const production = nodeEnv === 'production';
  const givenSecret = r.raw('CURSOR_SECRET');
  if (givenSecret !== undefined && givenSecret.length < 16) {
    r.problems.push('CURSOR_SECRET must be at least 16 characters');
  }
  if (givenSecret === undefined && production) {
    r.problems.push('CURSOR_SECRET is required when NODE_ENV=production');
  }
  const awsRegion = r.region(
    r.raw('AWS_REGION') === undefined && r.raw('AWS_DEFAULT_REGION') !== undefined
      ? 'AWS_DEFAULT_REGION'
      : 'AWS_REGION',
    'us-east-1',
  );
  const listedRegions = r.list('IOT_REGIONS', (region) => REGION.test(region), 'AWS regions');
  const iotRegions = listedRegions.length > 0 ? [...new Set(listedRegions)] : [awsRegion];
  const iotEndpoint = r.url('IOT_ENDPOINT');
  const iotEndpoints = r.endpoints('IOT_ENDPOINTS', iotRegions);
  if (iotEndpoint !== undefined) {
    for (const region of iotRegions)
      if (!iotEndpoints.has(region)) iotEndpoints.set(region, iotEndpoint);
  }
  const upstreamTimeoutMs = r.int('UPSTREAM_TIMEOUT_MS', 5000, 50, 120_000);
  const requestTimeoutMs = r.int('REQUEST_TIMEOUT_MS', 10_000, 100, 300_000);
  // A request deadline that always comes first would cut every hung call before the upstream
  // deadline could say "timeout": the breaker would learn too late that the upstream hangs.
  if (requestTimeoutMs <= upstreamTimeoutMs) {
    r.problems.push(
      `REQUEST_TIMEOUT_MS (${requestTimeoutMs}) must be greater than UPSTREAM_TIMEOUT_MS (${upstreamTimeoutMs}), so that an upstream call can time out within its request`,
    );
  }
  const maxUpstreamCalls = r.int('MAX_UPSTREAM_CALLS', 200, 1, 100_000);
  const rateLimitPerMinute = r.int('RATE_LIMIT_PER_MINUTE', 0, 0, 100_000_000);
  const persistedDocuments = r.oneOf<PersistedDocumentsMode>('PERSISTED_DOCUMENTS', 'allowed', [
    'off',
    'allowed',
    'required',
  ]);
  const persistedDocumentsManifest = r.raw('PERSISTED_DOCUMENTS_MANIFEST');
  if (persistedDocuments === 'required' && persistedDocumentsManifest === undefined) {
    r.problems.push(
      'PERSISTED_DOCUMENTS=required needs PERSISTED_DOCUMENTS_MANIFEST (the persisted-documents.json GraphQL Code Generator writes)',
    );
  }
  const config: Config = {
    host: r.host('HOST', '127.0.0.1'),
    port: r.int('PORT', 4000, 0, 65535),
    nodeEnv,
    upstreams: r.oneOf<UpstreamMode>('UPSTREAMS', 'simulated', ['simulated', 'aws']),
    awsRegion,
    iotRegions,
    iotEndpoints,
    iotListOrder: r.oneOf('IOT_LIST_ORDER', 'newest-first', ['newest-first', 'unknown'] as const),
    iotEndpoint,
    importExportEndpoint: r.url('IMPORT_EXPORT_ENDPOINT'),
    cursorSecret: givenSecret ?? randomBytes(32).toString('base64url'),
    cursorSecretGenerated: givenSecret === undefined,
    upstreamTimeoutMs,
    requestTimeoutMs,
    upstreamMaxAttempts: r.int('UPSTREAM_MAX_ATTEMPTS', 3, 1, 10),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 300_000),
    detailConcurrency: r.int('DETAIL_CONCURRENCY', 20, 1, 100),
    logLevel: r.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    graphiql: r.bool('GRAPHIQL', !production),
    introspection: r.bool('INTROSPECTION', !production),
    maxDepth: r.int('MAX_DEPTH', 10, 2, 100),
    maxAliases: r.int('MAX_ALIASES', 15, 0, 1000),
    maxTokens: r.int('MAX_TOKENS', 2000, 100, 100_000),
    maxDirectives: r.int('MAX_DIRECTIVES', 50, 0, 1000),
    maxComplexity: r.int('MAX_COMPLEXITY', 20_000, 10, 10_000_000),
    maxUpstreamCalls,
    maxBodyBytes: r.int('MAX_BODY_BYTES', 102_400, 1024, 10_485_760),
    batchLimit: r.int('BATCH_LIMIT', 0, 0, 100),
    corsOrigins: r.list(
      'CORS_ORIGINS',
      (origin) => origin === '*' || /^https?:\/\/[^/\s]+$/.test(origin),
      'origins such as https://app.example.com, or *',
    ),
    csrfPrevention: r.bool('CSRF_PREVENTION', true),
    apiKeys: r.list(
      'API_KEYS',
      (key) => key.length >= 16 && /^[\x21-\x2b\x2d-\x7e]+$/.test(key),
      'keys of at least 16 printable characters',
    ),
    rateLimitPerMinute,
    rateLimitBurst: r.int(
      'RATE_LIMIT_BURST',
      Math.max(rateLimitPerMinute, maxUpstreamCalls),
      maxUpstreamCalls,
      100_000_000,
    ),
    trustedProxies: r.list(
      'TRUSTED_PROXIES',
      validProxy,
      'IP addresses, CIDR ranges, or loopback, linklocal, uniquelocal',
    ),
    retryBudget: r.int('RETRY_BUDGET', 500, 0, 100_000),
    breakerResetMs: r.int('BREAKER_RESET_MS', 10_000, 100, 600_000),
    breakerMinimumCalls: r.int('BREAKER_MIN_CALLS', 10, 1, 10_000),
    metrics: r.bool('METRICS', true),
    metricsPort: r.optionalInt('METRICS_PORT', 0, 65535),
    metricsToken: r.secret('METRICS_TOKEN', 16),
    metricsOperationNames: r.int('METRICS_OPERATION_NAMES', 50, 0, 10_000),
    clientHeadersTimeoutMs: r.int('CLIENT_HEADERS_TIMEOUT_MS', 10_000, 100, 300_000),
    clientBodyTimeoutMs: r.int('CLIENT_BODY_TIMEOUT_MS', 10_000, 100, 300_000),
    tracing: r.bool('OTEL_ENABLED', false),
    tracingEndpoint: r.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
    serviceName: r.string('OTEL_SERVICE_NAME', 'jobs-gateway'),
    simulator: simulatorData(r),
    simulatorCredentials: simulatorCredentials(r),
    redisUrl: r.redisUrl('REDIS_URL'),
    redisTimeoutMs: r.int('REDIS_TIMEOUT_MS', 250, 10, 10_000),
    redisKeyPrefix: r.keyPrefix('REDIS_KEY_PREFIX', 'jobs-gateway:'),
    pageCacheTtlMs: r.int('PAGE_CACHE_TTL_MS', 0, 0, 3_600_000),
    detailCacheTtlMs: r.int('DETAIL_CACHE_TTL_MS', 0, 0, 3_600_000),
    cacheMemoryMb: r.int('CACHE_MEMORY_MB', 64, 1, 65_536),
    persistedDocuments,
    persistedDocumentsManifest,
    subgraph: r.bool('SUBGRAPH', true),
  };
  r.finish();
  return deepFreeze(config);
}

export interface SimulatorProcessConfig {
  readonly host: string;
  /** @default 4101 */
  readonly iotPort: number;
  /** @default 4102 */
  readonly importExportPort: number;
  readonly awsRegion: string;
  /** One IoT simulator per region (`SIMULATOR_IOT_REGIONS`, comma list). @default [awsRegion] */
  readonly iotRegions: readonly string[];
  readonly data: SimulatorDataConfig;
  readonly credentials: AwsCredentialsConfig;
}

/** Configuration of `npm run simulators`. */
export function loadSimulatorConfig(env: Env = process.env): SimulatorProcessConfig {
  const r = new Reader(env);
  const awsRegion = r.region(
    r.raw('AWS_REGION') === undefined && r.raw('AWS_DEFAULT_REGION') !== undefined
      ? 'AWS_DEFAULT_REGION'
      : 'AWS_REGION',
    'us-east-1',
  );
  const iotRegions = r.list(
    'SIMULATOR_IOT_REGIONS',
    (item) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(item),
    'AWS regions such as us-east-1,eu-west-1',
  );
  if (new Set(iotRegions).size !== iotRegions.length) {
    r.problems.push('SIMULATOR_IOT_REGIONS names a region twice');
  }
  const config: SimulatorProcessConfig = {
    host: r.host('SIMULATOR_HOST', '127.0.0.1'),
    iotPort: r.int('IOT_SIMULATOR_PORT', 4101, 0, 65535),
    importExportPort: r.int('IMPORT_EXPORT_SIMULATOR_PORT', 4102, 0, 65535),
    awsRegion,
    iotRegions: iotRegions.length > 0 ? iotRegions : [awsRegion],
    data: simulatorData(r),
    credentials: simulatorCredentials(r),
  };
  r.finish();
  return deepFreeze(config);
}

function simulatorData(r: Reader): SimulatorDataConfig {
  return {
    seed: r.int('SIMULATOR_SEED', 42, 0, 2 ** 31 - 1),
    iotJobs: r.int('SIMULATOR_IOT_JOBS', 1000, 0, 100_000),
    importExportJobs: r.int('SIMULATOR_IMPORT_EXPORT_JOBS', 300, 0, 100_000),
  };
}

function simulatorCredentials(r: Reader): AwsCredentialsConfig {
  return {
    accessKeyId: r.string('SIMULATOR_ACCESS_KEY_ID', SIMULATOR_ACCESS_KEY_ID),
    secretAccessKey: r.string('SIMULATOR_SECRET_ACCESS_KEY', SIMULATOR_SECRET_ACCESS_KEY),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
