import type { ImportExportJobRecord, IotJobRecord } from '../upstreams/types.js';

/**
 * What the graph's job types are built over. Kept apart from the type definitions so that the
 * interface and its implementations can share them without importing each other.
 */

/** An IoT job as the graph carries it (see IotJobRecord.thingGroupTarget for one fetched by id). */
export type IotJobShape = IotJobRecord;

export type JobShape = IotJobShape | ImportExportJobRecord;

/** A value the schema's enum has no member for is shown as this member, its text beside it. */
export const UNKNOWN = 'UNKNOWN';

export function knownOrUnknown<T extends string>(
  value: string | null,
  known: ReadonlySet<string>,
): T | typeof UNKNOWN | null {
  if (value === null) return null;
  return known.has(value) ? (value as T) : UNKNOWN;
}
