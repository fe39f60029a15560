import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildApiSchema, buildSubgraphSchema } from './index.js';

/** The committed SDL files and their expected content, keyed by path from the project root. */
export async function printedSchemas(): Promise<Record<string, string>> {
  return {
    'schema/schema.graphql': `${printSchema(lexicographicSortSchema(buildApiSchema()))}\n`,
    'schema/subgraph.graphql': `${printSubgraphSchema(await buildSubgraphSchema())}\n`,
  };
}
