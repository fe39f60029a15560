import type { GuardedUpstreams } from '../upstreams/breaker.js';
import { upstreamKey } from '../upstreams/breaker.js';
import type { SourceName } from '../upstreams/types.js';
import { createImportExportSource } from './import-export.js';
import { createIotSource } from './iot.js';
import type { JobSourceAdapter, ListOrder } from './types.js';

/**
 * The sources a gateway serves, built once at start from its configuration. Connections ask it
 * for the sources their arguments select and never name a source themselves.
 */
export interface SourceRegistry {
  /** Every source, in merge order: IoT regions as configured, then Import/Export. */
  readonly all: readonly JobSourceAdapter[];
  /** The configured IoT regions; the first is the default region. */
  readonly iotRegions: readonly string[];
  readonly defaultRegion: string;
  /** The sources of the given kinds (default: all) in the given regions (default: all). */
  select(selection: {
    readonly sources?: readonly SourceName[] | undefined;
    readonly regions?: readonly string[] | undefined;
  }): readonly JobSourceAdapter[];
}

export function createSourceRegistry(sources: readonly JobSourceAdapter[]): SourceRegistry {
  const keys = new Set<string>();
  for (const source of sources) {
    if (keys.has(source.key)) throw new Error(`two sources share the key ${source.key}`);
    keys.add(source.key);
  }
  const iotRegions = sources.flatMap((s) => (s.source === 'IOT' && s.region ? [s.region] : []));
  const defaultRegion = iotRegions[0];
  if (defaultRegion === undefined) throw new Error('at least one IoT region is required');
  const cache = new Map<string, readonly JobSourceAdapter[]>();
  return {
    all: sources,
    iotRegions,
    defaultRegion,
    select({ sources: kinds, regions }) {
      const cacheKey = `${kinds?.join(',') ?? '*'}|${regions?.join(',') ?? '*'}`;
      let selected = cache.get(cacheKey);
      if (!selected) {
        selected = sources.filter(
          (s) =>
            (!kinds || kinds.includes(s.source)) &&
            (!regions || s.region === null || regions.includes(s.region)),
        );
        // Selections come from validated arguments, so there are few distinct ones.
        if (cache.size < 256) cache.set(cacheKey, selected);
      }
      return selected;
    },
  };
}

/** IoT in every configured region, then Import/Export, over the given upstream clients. */
export function defaultSources(
  upstreams: GuardedUpstreams,
  iotOrder: ListOrder,
): JobSourceAdapter[] {
  const sources: JobSourceAdapter[] = [];
  for (const region of upstreams.iot.keys()) {
    sources.push(
      createIotSource(
        region,
        iotOrder,
        upstreams.breakers.get(upstreamKey({ source: 'IOT', region })),
      ),
    );
  }
  sources.push(
    createImportExportSource(upstreams.breakers.get(upstreamKey({ source: 'IMPORT_EXPORT' }))),
  );
  return sources;
}
