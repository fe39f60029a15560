import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildApiSchema } from './index.js';

/** The committed SDL files and their expected content, keyed by path from the project root. */
export function printedSchemas(): Record<string, string> {
  return {
    'schema/schema.graphql': `${printSchema(lexicographicSortSchema(buildApiSchema()))}\n`,
  };
}
