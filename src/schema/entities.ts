import { GraphQLError, type GraphQLSchema } from 'graphql';
import { badUserInput, isUpstreamError, toGraphQLError } from '../errors.js';
import { decodeNodeId } from './node-id.js';

/**
 * `_entities` for a router: a batch of representations from many parents, each entry of whose
 * answer must stand alone. One bad representation (no id, a malformed id, another type's id, a
 * type this subgraph does not have) nulls its own entry with a coded error; the others answer.
 */

/** The upstream id of a representation, checked to belong to `typename`. */
export function referencedId(representation: { readonly id?: unknown }, typename: string): string {
  if (typeof representation.id !== 'string') {
    throw badUserInput(`A representation of ${typename} needs its "id".`);
  }
  const node = decodeNodeId(representation.id);
  if (node.typename !== typename) throw badUserInput(`The id is not an id of type ${typename}.`);
  return node.id;
}

/**
 * Apollo's `_entities` resolver maps the whole batch in one synchronous pass: a representation it
 * cannot place (an unknown `__typename`) throws out of the map and fails the whole field, and with
 * it, `_entities` being non-null, the whole answer. Here each representation is resolved on its
 * own, and its failure becomes the error of its entry alone.
 */
export function isolateEntityFailures(
  schema: GraphQLSchema,
  entityTypes: readonly string[],
): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const resolve = field?.resolve;
  if (!field || !resolve) throw new Error('the subgraph schema has no _entities resolver');
  const coded = (error: unknown) =>
    error instanceof GraphQLError
      ? error
      : isUpstreamError(error)
        ? toGraphQLError(error)
        : badUserInput('The representation could not be resolved.');
  field.resolve = (source, args: { representations: readonly unknown[] }, context, info) =>
    args.representations.map((representation) => {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      if (typeof typename !== 'string' || !entityTypes.includes(typename)) {
        return badUserInput(
          `A representation's __typename must be one of ${entityTypes.join(', ')}.`,
        );
      }
      try {
        const [entity] = resolve(
          source,
          { representations: [representation] },
          context,
          info,
        ) as unknown[];
        return Promise.resolve(entity).catch(coded);
      } catch (error) {
        return coded(error);
      }
    });
  return schema;
}
