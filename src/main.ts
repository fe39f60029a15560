// Process entry: configuration, then the gateway, then signals. No logic of its own.
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // The gateway's modules (AWS SDK, yoga, schema) take a while to load: a bad setting is reported
  // before that, in a fraction of the time.
  const { startGateway } = await import('./server.js');
  const running = await startGateway(config);
  console.log(`jobs-gateway ready at ${running.url} (open it in a browser for GraphiQL)`);
  console.log(`upstreams: ${running.upstreamSummary}`);
  if (running.metricsUrl) console.log(`metrics at ${running.metricsUrl}`);
  if (config.cursorSecretGenerated) {
    console.log(
      'note: no CURSOR_SECRET set; cursors from this process stop working after a restart',
    );
  }
  const shutdown = (signal: string) => {
    console.log(`${signal} received: finishing requests in flight, then stopping`);
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

// A bug in one request must not take the service down; it is reported and the process goes on.
process.on('unhandledRejection', (reason) => {
  const name = reason instanceof Error ? reason.name : typeof reason;
  console.error(`unhandled rejection (${name}); the request it belonged to has failed`);
});

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`jobs-gateway: ${error.message}`);
    process.exit(2);
  }
  const code = (error as { code?: unknown } | null)?.code;
  const reason =
    code === 'EADDRINUSE'
      ? 'the port is already in use (set PORT)'
      : code === 'EACCES'
        ? 'no permission to listen on that port (set PORT)'
        : `could not start${typeof code === 'string' ? ` (${code})` : ''}`;
  console.error(`jobs-gateway: ${reason}`);
  process.exit(1);
});
