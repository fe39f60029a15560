// `npm run simulators`: both simulated upstreams, standalone, on their well-known ports.
import { ConfigError, loadSimulatorConfig } from '../config.js';
import { startSimulators } from './index.js';

async function main(): Promise<void> {
  const config = loadSimulatorConfig();
  const simulators = await startSimulators({
    data: config.data,
    credentials: config.credentials,
    region: config.awsRegion,
    host: config.host,
    iotPort: config.iotPort,
    importExportPort: config.importExportPort,
  });
  const { iotJobs, importExportJobs } = simulators.dataset;
  console.log(`IoT simulator:           ${simulators.iot?.url} (${iotJobs.length} jobs)`);
  console.log(
    `Import/Export simulator: ${simulators.importExport?.url} (${importExportJobs.length} jobs)`,
  );
  console.log(
    `Access key ${config.credentials.accessKeyId}; point the gateway at them with IOT_ENDPOINT=${simulators.iot?.url} IMPORT_EXPORT_ENDPOINT=${simulators.importExport?.url}`,
  );
  const stop = () => {
    simulators.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : 'could not start the simulators';
  const detail =
    error && typeof error === 'object' && 'code' in error ? ` (${String(error.code)})` : '';
  console.error(`simulators: ${message}${detail}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
