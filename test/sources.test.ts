import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createSourceRegistry } from '../src/sources/registry.js';
import type { JobSourceAdapter } from '../src/sources/types.js';
import { MemorySource } from './memory-source.js';

// The registry's side of node ids: which source a node id names, for ids of today and of before
// regions; and the shape of src/ that keeps sources pluggable: no import cycle, type imports
// included.

/** A source of the given kind, for locating only: it is never listed or fetched from here. */
function source(kind: 'IOT' | 'IMPORT_EXPORT', region: string | null, key?: string) {
  const memory = new MemorySource({ region: region ?? 'none' });
  return Object.assign(Object.create(memory) as JobSourceAdapter, {
    key: key ?? (region ? `${kind}:${region}` : kind),
    source: kind,
    region,
  });
}

describe('locating the source of a node id', () => {
  const east = source('IOT', 'us-east-1');
  const west = source('IOT', 'eu-west-1');
  const ie = source('IMPORT_EXPORT', null);
  const mem = source('IOT', 'mem-1', 'MEMORY:mem-1');
  const registry = createSourceRegistry([east, west, ie, mem]);
  const located = (typename: string, key: string) => {
    const found = registry.locate(typename, key);
    return found && [found.source.key, found.jobId];
  };

  it('finds a regional job by its region, whichever kind of source lists it', () => {
    expect(located('IotJob', 'eu-west-1/job-1')).toEqual(['IOT:eu-west-1', 'job-1']);
    expect(located('IotJob', 'mem-1/job-1')).toEqual(['MEMORY:mem-1', 'job-1']);
  });

  it('gives an id without a region to the first regional source of its type', () => {
    expect(located('IotJob', 'job-1')).toEqual(['IOT:us-east-1', 'job-1']);
  });

  it('gives the whole key to a source without a region', () => {
    expect(located('ImportExportJob', '00123')).toEqual(['IMPORT_EXPORT', '00123']);
    expect(located('ImportExportJob', 'a/b')).toEqual(['IMPORT_EXPORT', 'a/b']);
  });

  it('names no source for a region nobody lists, an empty job id, or a type nobody serves', () => {
    expect(located('IotJob', 'mars-north-1/job-1')).toBeUndefined();
    expect(located('IotJob', 'eu-west-1/')).toBeUndefined();
    expect(located('Shipment', 'x')).toBeUndefined();
    expect(createSourceRegistry([east]).locate('ImportExportJob', 'x')).toBeUndefined();
  });

  it('refuses sources whose jobs node ids could not tell apart', () => {
    expect(() => createSourceRegistry([east, source('IOT', 'us-east-1', 'OTHER')])).toThrow(
      /cannot be told apart/,
    );
    expect(() => createSourceRegistry([ie, source('IMPORT_EXPORT', null, 'OTHER')])).toThrow(
      /cannot be told apart/,
    );
    expect(() => createSourceRegistry([east, source('IOT', 'eu-west-1', 'IOT:us-east-1')])).toThrow(
      /share the key/,
    );
  });

  it('lists the regions of its regional sources, in order', () => {
    expect(registry.regions).toEqual(['us-east-1', 'eu-west-1', 'mem-1']);
  });
});

describe('imports of src/', () => {
  it('form no cycle, type imports and re-exports included', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
    const files = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(root, f));
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      graph.set(
        file,
        importedFiles
          .map((i) => i.fileName)
          .filter((name) => name.startsWith('.'))
          .map((name) => resolve(dirname(file), name.replace(/\.js$/, '.ts'))),
      );
    }
    expect(files.length).toBeGreaterThan(40);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') {
          cycles.push(
            [...path.slice(path.indexOf(next)), next].map((f) => relative(root, f)).join(' -> '),
          );
        } else if (!state.has(next)) {
          visit(next);
        }
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
