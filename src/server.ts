import type { AddressInfo } from 'node:net';
import { createGateway, type Gateway, METRICS_PATH } from './app.js';
import type { Config } from './config.js';
import { resolveCredentials } from './credentials.js';
import { createHttpServer } from './http-server.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { loadManifest } from './persisted-documents.js';
import { createRedis, type SharedRedis } from './redis.js';
import { type Simulators, startSimulators } from './simulators/index.js';
import { startTracing } from './tracing.js';
import { createSourceRegistry, defaultSources } from './sources/registry.js';
import { destroyUpstreams, upstreamKey } from './upstreams/breaker.js';
import { type ConfiguredUpstreams, createUpstreams } from './upstreams/index.js';
import { reportUnknownValues } from './upstreams/instrument.js';
import type { Upstreams } from './upstreams/types.js';

/**
 * The running service: simulators (when used), upstream clients, gateway and HTTP server, with
 * one orderly way to stop them all. main.ts is only the process around this.
 */
export interface RunningGateway {
  readonly url: string;
  readonly gateway: Gateway;
  readonly upstreams: Upstreams;
  readonly logger: Logger;
  /** The shared Redis, when REDIS_URL is set. */
  readonly redis: SharedRedis | undefined;
  readonly simulators: Simulators | undefined;
  /** Describes which upstream each source talks to, for the start-up line. */
  readonly upstreamSummary: string;
  /**
   * Whether the AWS provider chain found credentials at start: `unused` when every upstream is
   * simulated (the simulators' keys are used).
   */
  readonly credentials: 'found' | 'missing' | 'unused';
  /** Where /metrics is served when it has a port of its own. */
  readonly metricsUrl: string | undefined;
  /** What the replicas share and how reads are cached, when Redis or a cache is configured. */
  readonly sharedSummary: string | undefined;
  /** Stops accepting, lets requests in flight finish (up to the shutdown timeout), closes all. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** @default JSON lines on stdout at `config.logLevel` */
  readonly logger?: Logger | undefined;
  /** Wraps the upstream clients before the gateway uses them (to record or replay their calls). */
  readonly upstreams?: ((clients: ConfiguredUpstreams) => ConfiguredUpstreams) | undefined;
}

export async function startGateway(
  config: Config,
  options: StartOptions = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const manifest = config.persistedDocumentsManifest
    ? await loadManifest(config.persistedDocumentsManifest)
    : undefined;
  const metrics = config.metrics
    ? createMetrics({
        operationNames: config.metricsOperationNames,
        persistedOperationNames: manifest?.operationNames,
      })
    : undefined;
  // Connects in the background; until it is up (and whenever it is down) the gateway serves
  // without it.
  const redis = config.redisUrl
    ? createRedis({
        url: config.redisUrl,
        timeoutMs: config.redisTimeoutMs,
        keyPrefix: config.redisKeyPrefix,
        logger,
        onError: metrics?.redisError,
      })
    : undefined;
  const simulate = config.upstreams === 'simulated';
  // An explicit endpoint wins over both modes: no simulator is started for that upstream.
  const simulatedRegions = simulate
    ? config.iotRegions.filter((region) => !config.iotEndpoints.has(region))
    : [];
  const simulators = simulate
    ? await startSimulators({
        data: config.simulator,
        credentials: config.simulatorCredentials,
        region: config.iotRegions[0],
        iotRegions: simulatedRegions.length > 0 ? simulatedRegions : undefined,
        host: '127.0.0.1',
        only: { iot: simulatedRegions.length > 0, importExport: !config.importExportEndpoint },
      })
    : undefined;
  const simulatorKeys = config.simulatorCredentials;
  const iotEndpoints = new Map(
    config.iotRegions.map((region) => [
      region,
      config.iotEndpoints.get(region) ?? simulators?.iotByRegion.get(region)?.url,
    ]),
  );
  // Real AWS, or an explicit endpoint, is signed with credentials from the AWS provider chain.
  const usesChain = simulatedRegions.length < config.iotRegions.length || !simulators?.importExport;
  const credentials = usesChain ? await resolveCredentials() : undefined;
  const created = createUpstreams(
    {
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      upstreamMaxAttempts: config.upstreamMaxAttempts,
      retryBudget: config.retryBudget,
      breaker: { resetTimeoutMs: config.breakerResetMs, minimumCalls: config.breakerMinimumCalls },
      onBreakerChange: (state, upstream) => {
        logger.warn({ upstream: upstreamKey(upstream), state }, 'circuit breaker');
        metrics?.breakerState(upstream, state);
      },
      onAttempt: metrics ? (source, attempt) => metrics.attempt(source, attempt) : undefined,
      onUnknownValue: reportUnknownValues(logger, metrics),
      provider: credentials?.provider,
      credentials: {
        // The simulators take one key pair; real endpoints use the provider chain.
        iot: new Map(simulatedRegions.map((region) => [region, simulatorKeys])),
        importExport: simulators?.importExport ? simulatorKeys : undefined,
      },
    },
    {
      iot: iotEndpoints,
      importExport: config.importExportEndpoint ?? simulators?.importExport?.url,
    },
  );
  const upstreams = options.upstreams ? options.upstreams(created) : created;
  for (const breaker of upstreams.breakers.values()) metrics?.breakerState(breaker.label, 'closed');
  const sources = createSourceRegistry(defaultSources(upstreams, config.iotListOrder));
  const tracing = config.tracing
    ? await startTracing({ serviceName: config.serviceName, endpoint: config.tracingEndpoint })
    : undefined;
  const gateway = createGateway({
    config,
    upstreams,
    sources,
    logger,
    metrics,
    tracing: !!tracing,
    redis,
    identities: upstreams.identities,
    persistedDocuments: manifest,
  });

  const timeouts = {
    headersTimeoutMs: config.clientHeadersTimeoutMs,
    bodyTimeoutMs: config.clientBodyTimeoutMs,
  };
  const http = createHttpServer(gateway.handle, timeouts);
  await http.listen(config.port, config.host);
  const { port } = http.server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const metricsHttp =
    metrics && config.metricsPort !== undefined
      ? createHttpServer(gateway.handleMetrics, timeouts)
      : undefined;
  let metricsUrl: string | undefined;
  if (metricsHttp && config.metricsPort !== undefined) {
    try {
      await metricsHttp.listen(config.metricsPort, config.host);
    } catch (error) {
      await http.drain(0);
      throw error;
    }
    const metricsPort = (metricsHttp.server.address() as AddressInfo).port;
    metricsUrl = `http://${host}:${metricsPort}${METRICS_PATH}`;
  }

  const describe = (
    name: string,
    region: string | undefined,
    explicit: string | undefined,
    simulated: string | undefined,
  ) => {
    const where = region ? ` (${region})` : '';
    if (explicit) return `${name} at ${explicit}${where}`;
    if (simulated) return `${name} simulated at ${simulated}${where}`;
    return `${name} on AWS${where}`;
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // Readiness fails at once, so that a balancer stops sending; the requests already sent
      // are answered, each closing its connection, and the process goes as soon as they are.
      gateway.drain();
      await http.drain(config.shutdownTimeoutMs);
      await metricsHttp?.drain(0);
      destroyUpstreams(upstreams);
      await redis?.close();
      await simulators?.close();
      await tracing?.shutdown();
    })();
    return stopping;
  };

  return {
    url: `http://${host}:${port}/graphql`,
    gateway,
    upstreams,
    logger,
    redis,
    simulators,
    upstreamSummary: [
      ...config.iotRegions.map((region) =>
        describe(
          'IoT',
          region,
          config.iotEndpoints.get(region),
          simulators?.iotByRegion.get(region)?.url,
        ),
      ),
      describe(
        'Import/Export',
        undefined,
        config.importExportEndpoint,
        simulators?.importExport?.url,
      ),
    ].join('; '),
    credentials: !credentials ? 'unused' : credentials.found ? 'found' : 'missing',
    metricsUrl,
    sharedSummary: describeShared(config),
    stop,
  };
}

function describeShared(config: Config): string | undefined {
  const ttl = (ms: number) => (ms > 0 ? `${ms} ms` : 'off');
  const cache = `cache of upstream reads: pages ${ttl(config.pageCacheTtlMs)}, details ${ttl(config.detailCacheTtlMs)}`;
  if (config.redisUrl) {
    // The URL may hold a password: only where Redis is.
    const url = new URL(config.redisUrl);
    return `shared through Redis at ${url.hostname}:${url.port || '6379'}: ${cache}; rate limits; APQ`;
  }
  if (config.pageCacheTtlMs > 0 || config.detailCacheTtlMs > 0) return `${cache} (in this process)`;
  return undefined;
}
