import type { GuardedUpstreams } from '../upstreams/breaker.js';
import { upstreamKey } from '../upstreams/breaker.js';
import type { SourceName } from '../upstreams/types.js';
import { createImportExportSource } from './import-export.js';
import { createIotSource } from './iot.js';
import { NODE_TYPE_OF_SOURCE } from './node-key.js';
import type { JobSourceAdapter, ListOrder } from './types.js';

/**
 * The sources a gateway serves, built once at start from its configuration. Connections ask it
 * for the sources their arguments select, and `node(id:)` for the source of a job, and never name
 * a source themselves.
 */
export interface SourceRegistry {
  /** Every source, in merge order: IoT regions as configured, then Import/Export. */
  readonly all: readonly JobSourceAdapter[];
  /** The regions of the regional sources, in configuration order. */
  readonly regions: readonly string[];
  /** The sources of the given kinds (default: all) in the given regions (default: all). */
  select(selection: {
    readonly sources?: readonly SourceName[] | undefined;
    readonly regions?: readonly string[] | undefined;
  }): readonly JobSourceAdapter[];
  /**
   * The source of the job that a node id names (its type and key, see node-key.ts) and the job's
   * id there; undefined when no source serves it. A key without a region, for a type of regional
   * sources, names a job of the first of them (ids issued before regions: the default region).
   */
  locate(
    typename: string,
    key: string,
  ): { readonly source: JobSourceAdapter; readonly jobId: string } | undefined;
}

export function createSourceRegistry(sources: readonly JobSourceAdapter[]): SourceRegistry {
  const keys = new Set<string>();
  const byType = new Map<string, JobSourceAdapter[]>();
  for (const source of sources) {
    if (keys.has(source.key)) throw new Error(`two sources share the key ${source.key}`);
    keys.add(source.key);
    const type = NODE_TYPE_OF_SOURCE[source.source];
    byType.set(type, [...(byType.get(type) ?? []), source]);
  }
  for (const [type, ofType] of byType) {
    const regions = ofType.map((s) => s.region);
    if (regions.includes(null) ? ofType.length > 1 : new Set(regions).size < regions.length) {
      throw new Error(`the sources of ${type} jobs cannot be told apart by node id`);
    }
  }
  const regions = [...new Set(sources.flatMap((s) => (s.region ? [s.region] : [])))];
  const cache = new Map<string, readonly JobSourceAdapter[]>();
  return {
    all: sources,
    regions,
    select({ sources: kinds, regions: wanted }) {
      const cacheKey = `${kinds?.join(',') ?? '*'}|${wanted?.join(',') ?? '*'}`;
      let selected = cache.get(cacheKey);
      if (!selected) {
        selected = sources.filter(
          (s) =>
            (!kinds || kinds.includes(s.source)) &&
            (!wanted || s.region === null || wanted.includes(s.region)),
        );
        // Selections come from validated arguments, so there are few distinct ones.
        if (cache.size < 256) cache.set(cacheKey, selected);
      }
      return selected;
    },
    locate(typename, key) {
      const ofType = byType.get(typename);
      const [first] = ofType ?? [];
      if (!first) return undefined;
      if (first.region === null) return { source: first, jobId: key };
      const slash = key.indexOf('/');
      if (slash < 0) return { source: first, jobId: key };
      const region = key.slice(0, slash);
      const source = ofType?.find((s) => s.region === region);
      const jobId = key.slice(slash + 1);
      return source && jobId !== '' ? { source, jobId } : undefined;
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
