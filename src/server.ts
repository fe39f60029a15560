import type { AddressInfo } from 'node:net';
import { createGateway, type Gateway, METRICS_PATH } from './app.js';
import type { Config } from './config.js';
import { createHttpServer } from './http-server.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { type Simulators, startSimulators } from './simulators/index.js';
import { startTracing } from './tracing.js';
import { createUpstreams } from './upstreams/index.js';
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
  readonly simulators: Simulators | undefined;
  /** Describes which upstream each source talks to, for the start-up line. */
  readonly upstreamSummary: string;
  /** Where /metrics is served when it has a port of its own. */
  readonly metricsUrl: string | undefined;
  /** Stops accepting, lets requests in flight finish (up to the shutdown timeout), closes all. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** @default JSON lines on stdout at `config.logLevel` */
  readonly logger?: Logger | undefined;
}

export async function startGateway(
  config: Config,
  options: StartOptions = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = config.metrics
    ? createMetrics({ operationNames: config.metricsOperationNames })
    : undefined;
  const simulate = config.upstreams === 'simulated';
  // An explicit endpoint wins over both modes: no simulator is started for that upstream.
  const simulators = simulate
    ? await startSimulators({
        data: config.simulator,
        credentials: config.simulatorCredentials,
        region: config.awsRegion,
        host: '127.0.0.1',
        only: { iot: !config.iotEndpoint, importExport: !config.importExportEndpoint },
      })
    : undefined;
  const simulatorKeys = config.simulatorCredentials;
  const upstreams = createUpstreams(
    {
      awsRegion: config.awsRegion,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      upstreamMaxAttempts: config.upstreamMaxAttempts,
      retryBudget: config.retryBudget,
      breaker: { resetTimeoutMs: config.breakerResetMs, minimumCalls: config.breakerMinimumCalls },
      onBreakerChange: (state, source) => {
        logger.warn({ upstream: source, state }, 'circuit breaker');
        metrics?.breakerState(source, state);
      },
      onAttempt: metrics ? (source, attempt) => metrics.attempt(source, attempt) : undefined,
      credentials: {
        iot: simulators?.iot ? simulatorKeys : undefined,
        importExport: simulators?.importExport ? simulatorKeys : undefined,
      },
    },
    {
      iot: config.iotEndpoint ?? simulators?.iot?.url,
      importExport: config.importExportEndpoint ?? simulators?.importExport?.url,
    },
  );
  const tracing = config.tracing
    ? await startTracing({ serviceName: config.serviceName, endpoint: config.tracingEndpoint })
    : undefined;
  const gateway = createGateway({ config, upstreams, logger, metrics, tracing: !!tracing });

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

  const describe = (name: string, explicit: string | undefined, simulated: string | undefined) => {
    if (explicit) return `${name} at ${explicit}`;
    if (simulated) return `${name} simulated at ${simulated}`;
    return `${name} on AWS (${config.awsRegion})`;
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // Readiness fails at once, so that a balancer stops sending; the requests already sent
      // are answered, each closing its connection, and the process goes as soon as they are.
      gateway.drain();
      await http.drain(config.shutdownTimeoutMs);
      await metricsHttp?.drain(0);
      upstreams.iot.destroy();
      upstreams.importExport.destroy();
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
    simulators,
    upstreamSummary: [
      describe('IoT', config.iotEndpoint, simulators?.iot?.url),
      describe('Import/Export', config.importExportEndpoint, simulators?.importExport?.url),
    ].join('; '),
    metricsUrl,
    stop,
  };
}
