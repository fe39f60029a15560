// `npm run simulators`: the simulated upstreams, standalone, on their well-known ports.
import { ConfigError, loadSimulatorConfig } from '../config.js';
import { startSimulators } from './index.js';

async function main(): Promise<void> {
  const config = loadSimulatorConfig();
  // The first region's IoT simulator takes IOT_SIMULATOR_PORT (4101); further regions take the
  // ports after the larger of the two configured ones (4103, 4104, ...), or free ports when IoT's
  // port is 0.
  const nextPort = Math.max(config.iotPort, config.importExportPort) + 1;
  const simulators = await startSimulators({
    data: config.data,
    credentials: config.credentials,
    iotRegions: config.iotRegions,
    host: config.host,
    iotPort: config.iotPort,
    extraIotPorts: config.iotRegions
      .slice(1)
      .map((_, i) => (config.iotPort === 0 ? 0 : nextPort + i)),
    importExportPort: config.importExportPort,
  });
  const multiRegion = simulators.iotByRegion.size > 1;
  for (const [region, iot] of simulators.iotByRegion) {
    const label = multiRegion ? `IoT simulator ${region}:` : 'IoT simulator:';
    console.log(`${label.padEnd(24)} ${iot.url} (${iot.live.jobs().length} jobs)`);
  }
  const importExport = simulators.importExport;
  console.log(
    `Import/Export simulator: ${importExport?.url} (${importExport?.live.jobs().length} jobs)`,
  );
  const regions = [...simulators.iotByRegion];
  const endpoints = multiRegion
    ? `IOT_REGIONS=${regions.map(([region]) => region).join(',')} IOT_ENDPOINTS=${regions.map(([region, iot]) => `${region}=${iot.url}`).join(',')}`
    : `IOT_ENDPOINT=${simulators.iot?.url}`;
  console.log(
    `Access key ${config.credentials.accessKeyId}; point the gateway at them with ${endpoints} IMPORT_EXPORT_ENDPOINT=${importExport?.url}`,
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
