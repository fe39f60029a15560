// Process entry: configuration, then the gateway, then signals. No logic of its own.
import { ConfigError, loadConfig } from './config.js';

// The pinned AWS SDK supports this Node version; its notice that releases after January 2027
// will need Node 22 is addressed to whoever upgrades the SDK, not to whoever runs the gateway. It
// is read when the first SDK client is built, so it is set before anything is loaded.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const config = loadConfig();
  // The gateway's modules (AWS SDK, yoga, schema) take a while to load: a bad setting is reported
  // before that, in a fraction of the time.
  const { startGateway } = await import('./server.js');
  const running = await startGateway(config);
  console.log(`jobs-gateway ready at ${running.url} (open it in a browser for GraphiQL)`);
  console.log(`upstreams: ${running.upstreamSummary}`);
  if (running.credentials === 'found') {
    console.log('AWS credentials: found by the AWS provider chain');
  } else if (running.credentials === 'missing') {
    console.warn(
      'warning: no AWS credentials found (environment, shared config and SSO profiles, web ' +
        'identity, container and instance roles were tried): queries to AWS answer ' +
        'UPSTREAM_NO_CREDENTIALS until some are found (looked for again at most every 30 s)',
    );
  }
  if (running.sharedSummary) console.log(running.sharedSummary);
  if (running.metricsUrl) console.log(`metrics at ${running.metricsUrl}`);
  if (config.persistedDocuments === 'required' && config.subgraph) {
    console.warn(
      'warning: PERSISTED_DOCUMENTS=required applies to /graphql; /subgraph takes any document ' +
        'a router plans: let only the router reach it, or set SUBGRAPH=false',
    );
  }
  if (config.cursorSecretGenerated) {
    console.log(
      'note: no CURSOR_SECRET set; cursors from this process stop working after a restart',
    );
  }
  const shutdown = (signal: string) => {
    // stop() closes the listener before it first waits: once this line is out, new connections
    // are refused.
    const stopped = running.stop();
    console.log(`${signal} received: finishing requests in flight, then stopping`);
    stopped.then(
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
