import { GraphQLError, Kind } from 'graphql';
import type { Builder } from './builder.js';

/** ISO-8601 in UTC with milliseconds, e.g. 2010-02-05T19:17:38.000Z. */
export function defineScalars(builder: Builder) {
  builder.scalarType('DateTime', {
    description:
      'An instant, written as ISO-8601 in UTC with milliseconds: 2010-02-05T19:17:38.000Z.',
    serialize: (value) => {
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
      throw new GraphQLError('DateTime cannot represent an invalid date.');
    },
    parseValue: (value) => parseDate(value),
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw badDate();
      return parseDate(ast.value);
    },
  });
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

function parseDate(value: unknown): Date {
  if (typeof value !== 'string' || !ISO.test(value)) throw badDate();
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badDate();
  return date;
}

function badDate(): GraphQLError {
  return new GraphQLError('DateTime must be an ISO-8601 string such as 2010-02-05T19:17:38.000Z.', {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}
