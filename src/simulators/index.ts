import type { AwsCredentialsConfig, SimulatorDataConfig } from '../config.js';
import { createDataset, type Dataset } from './dataset.js';
import { createImportExportSimulator, type ImportExportSimulator } from './import-export-server.js';
import { createIotSimulator, type IotListingOrder, type IotSimulator } from './iot-server.js';

export interface SimulatorsOptions {
  readonly data: SimulatorDataConfig;
  readonly credentials: AwsCredentialsConfig;
  /** @default us-east-1 */
  readonly region?: string;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** 0 picks a free port. @default 0 */
  readonly iotPort?: number;
  /** 0 picks a free port. @default 0 */
  readonly importExportPort?: number;
  /** Start only these. @default both */
  readonly only?: { readonly iot: boolean; readonly importExport: boolean };
  /** @default newest-first */
  readonly iotOrder?: IotListingOrder;
}

export interface Simulators {
  readonly dataset: Dataset;
  readonly iot: IotSimulator | undefined;
  readonly importExport: ImportExportSimulator | undefined;
  close(): Promise<void>;
}

/** Both simulated upstreams over one seeded dataset. */
export async function startSimulators(options: SimulatorsOptions): Promise<Simulators> {
  const region = options.region ?? 'us-east-1';
  const dataset = createDataset({ ...options.data, region });
  const host = options.host ?? '127.0.0.1';
  const only = options.only ?? { iot: true, importExport: true };
  const [iot, importExport] = await Promise.all([
    only.iot
      ? createIotSimulator({
          dataset,
          credentials: options.credentials,
          region,
          host,
          port: options.iotPort ?? 0,
          order: options.iotOrder ?? 'newest-first',
        })
      : undefined,
    only.importExport
      ? createImportExportSimulator({
          dataset,
          credentials: options.credentials,
          host,
          port: options.importExportPort ?? 0,
        })
      : undefined,
  ]);
  return {
    dataset,
    iot,
    importExport,
    close: async () => {
      await Promise.all([iot?.close(), importExport?.close()]);
    },
  };
}
