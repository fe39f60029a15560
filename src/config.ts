import { randomBytes } from 'node:crypto';

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
  /** Overrides the IoT endpoint; no IoT simulator is started when set. */
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
  /** Concurrent DescribeJob / GetStatus calls per request. @default 8 */
  readonly detailConcurrency: number;
  /** @default info */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** GraphiQL at the GraphQL path. @default true, false when NODE_ENV=production */
  readonly graphiql: boolean;
  /** @default true, false when NODE_ENV=production */
  readonly introspection: boolean;
  /** Data of the embedded simulators. */
  readonly simulator: SimulatorDataConfig;
  /** Credentials for the embedded simulators (also what they accept). */
  readonly simulatorCredentials: AwsCredentialsConfig;
}

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

  url(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      if (url.username || url.password) throw new Error('credentials in URL');
      return url.href.replace(/\/$/, '');
    } catch {
      this.problems.push(`${name} must be an http(s) URL without credentials (got "${value}")`);
      return undefined;
    }
  }

  host(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(value)) {
      this.problems.push(`${name} must be a host name or IP address (got "${value}")`);
      return fallback;
    }
    return value;
  }

  region(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) {
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
  const config: Config = {
    host: r.host('HOST', '127.0.0.1'),
    port: r.int('PORT', 4000, 0, 65535),
    nodeEnv,
    upstreams: r.oneOf<UpstreamMode>('UPSTREAMS', 'simulated', ['simulated', 'aws']),
    awsRegion: r.region('AWS_REGION', r.raw('AWS_DEFAULT_REGION') ?? 'us-east-1'),
    iotEndpoint: r.url('IOT_ENDPOINT'),
    importExportEndpoint: r.url('IMPORT_EXPORT_ENDPOINT'),
    cursorSecret: givenSecret ?? randomBytes(32).toString('base64url'),
    cursorSecretGenerated: givenSecret === undefined,
    upstreamTimeoutMs: r.int('UPSTREAM_TIMEOUT_MS', 5000, 50, 120_000),
    requestTimeoutMs: r.int('REQUEST_TIMEOUT_MS', 10_000, 100, 300_000),
    upstreamMaxAttempts: r.int('UPSTREAM_MAX_ATTEMPTS', 3, 1, 10),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 300_000),
    detailConcurrency: r.int('DETAIL_CONCURRENCY', 8, 1, 100),
    logLevel: r.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    graphiql: r.bool('GRAPHIQL', !production),
    introspection: r.bool('INTROSPECTION', !production),
    simulator: {
      seed: r.int('SIMULATOR_SEED', 42, 0, 2 ** 31 - 1),
      iotJobs: r.int('SIMULATOR_IOT_JOBS', 1000, 0, 100_000),
      importExportJobs: r.int('SIMULATOR_IMPORT_EXPORT_JOBS', 300, 0, 100_000),
    },
    simulatorCredentials: simulatorCredentials(r),
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
  readonly data: SimulatorDataConfig;
  readonly credentials: AwsCredentialsConfig;
}

/** Configuration of `npm run simulators`. */
export function loadSimulatorConfig(env: Env = process.env): SimulatorProcessConfig {
  const r = new Reader(env);
  const config: SimulatorProcessConfig = {
    host: r.host('SIMULATOR_HOST', '127.0.0.1'),
    iotPort: r.int('IOT_SIMULATOR_PORT', 4101, 0, 65535),
    importExportPort: r.int('IMPORT_EXPORT_SIMULATOR_PORT', 4102, 0, 65535),
    awsRegion: r.region('AWS_REGION', r.raw('AWS_DEFAULT_REGION') ?? 'us-east-1'),
    data: {
      seed: r.int('SIMULATOR_SEED', 42, 0, 2 ** 31 - 1),
      iotJobs: r.int('SIMULATOR_IOT_JOBS', 1000, 0, 100_000),
      importExportJobs: r.int('SIMULATOR_IMPORT_EXPORT_JOBS', 300, 0, 100_000),
    },
    credentials: simulatorCredentials(r),
  };
  r.finish();
  return deepFreeze(config);
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
