import type { AwsCredentialsConfig, SimulatorDataConfig } from '../config.js';
import { createDataset, type Dataset } from './dataset.js';
import { createImportExportSimulator, type ImportExportSimulator } from './import-export-server.js';
import { createIotSimulator, type IotListingOrder, type IotSimulator } from './iot-server.js';

export interface SimulatorsOptions {
  readonly data: SimulatorDataConfig;
  readonly credentials: AwsCredentialsConfig;
  /** The IoT region when `iotRegions` is not given. @default us-east-1 */
  readonly region?: string;
  /**
   * One IoT simulator per region, each with its own data and verifying signatures for its own
   * region only. The first region's data is seeded with `data.seed` (the data of a single-region
   * start); every further region with a seed derived from `data.seed` and the region's name. Ids of
   * different regions coincide where the dataset derives them from the index alone (the
   * leading-zero ids such as `004`), as job ids of different regions can in AWS.
   * @default [region]
   */
  readonly iotRegions?: readonly string[];
  /** IoT jobs of the regions named here; the others have `data.iotJobs`. */
  readonly iotJobsByRegion?: Readonly<Record<string, number>>;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** Port of the first region's IoT simulator; 0 picks a free port. @default 0 */
  readonly iotPort?: number;
  /**
   * Ports of the further regions' IoT simulators, in `iotRegions` order from the second; a
   * missing or 0 entry picks a free port. @default [] (free ports)
   */
  readonly extraIotPorts?: readonly number[];
  /** 0 picks a free port. @default 0 */
  readonly importExportPort?: number;
  /** Start only these. @default both */
  readonly only?: { readonly iot: boolean; readonly importExport: boolean };
  /** @default newest-first */
  readonly iotOrder?: IotListingOrder;
}

export interface Simulators {
  /**
   * The data the simulators started with: the first IoT region's jobs and thing groups, and the
   * Import/Export jobs. What they serve now is `live.jobs()` on each simulator.
   */
  readonly dataset: Dataset;
  /** The starting data of each IoT region (Import/Export jobs only in the first's). */
  readonly datasetByRegion: ReadonlyMap<string, Dataset>;
  /** The first IoT region's simulator. */
  readonly iot: IotSimulator | undefined;
  /** Every IoT simulator by region, in `iotRegions` order; empty when IoT is not started. */
  readonly iotByRegion: ReadonlyMap<string, IotSimulator>;
  readonly importExport: ImportExportSimulator | undefined;
  /** Closes every simulator. */
  close(): Promise<void>;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** FNV-1a: a region's name to a number, for a seed that does not depend on the list's order. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/** The IoT simulators of every region and the Import/Export simulator. */
export async function startSimulators(options: SimulatorsOptions): Promise<Simulators> {
  const regions = options.iotRegions ?? [options.region ?? 'us-east-1'];
  if (regions.length === 0) throw new Error('iotRegions must name at least one region');
  for (const region of regions) {
    if (!REGION.test(region)) throw new Error(`iotRegions: "${region}" is not an AWS region`);
  }
  if (new Set(regions).size !== regions.length) {
    throw new Error('iotRegions names a region twice');
  }
  const datasetByRegion = new Map<string, Dataset>(
    regions.map((region, index) => [
      region,
      createDataset({
        ...options.data,
        seed: index === 0 ? options.data.seed : (options.data.seed ^ hashOf(region)) & 0x7fffffff,
        iotJobs: options.iotJobsByRegion?.[region] ?? options.data.iotJobs,
        importExportJobs: index === 0 ? options.data.importExportJobs : 0,
        region,
      }),
    ]),
  );
  const dataset = datasetByRegion.get(regions[0] as string) as Dataset;
  const host = options.host ?? '127.0.0.1';
  const only = options.only ?? { iot: true, importExport: true };
  const startIot = (region: string, index: number) =>
    createIotSimulator({
      dataset: datasetByRegion.get(region) as Dataset,
      credentials: options.credentials,
      region,
      host,
      port: index === 0 ? (options.iotPort ?? 0) : (options.extraIotPorts?.[index - 1] ?? 0),
      order: options.iotOrder ?? 'newest-first',
    });
  const started = await Promise.allSettled([
    only.importExport
      ? createImportExportSimulator({
          dataset,
          credentials: options.credentials,
          host,
          port: options.importExportPort ?? 0,
        })
      : undefined,
    ...(only.iot ? regions.map(startIot) : []),
  ]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    // One port taken must not leave the others listening.
    await Promise.all(
      started.map((result) => (result.status === 'fulfilled' ? result.value?.close() : undefined)),
    );
    throw failed.reason;
  }
  const values = started.map((result) =>
    result.status === 'fulfilled' ? result.value : undefined,
  );
  const importExport = values[0] as ImportExportSimulator | undefined;
  const iotByRegion = new Map<string, IotSimulator>(
    only.iot ? regions.map((region, index) => [region, values[index + 1] as IotSimulator]) : [],
  );
  return {
    dataset,
    datasetByRegion,
    iot: iotByRegion.get(regions[0] as string),
    iotByRegion,
    importExport,
    close: async () => {
      await Promise.all(
        [...iotByRegion.values()]
          .map((iot) => iot.close())
          .concat(importExport ? [importExport.close()] : []),
      );
    },
  };
}
