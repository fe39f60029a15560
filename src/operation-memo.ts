import type { DocumentNode } from 'graphql';

/**
 * Figures that follow from an operation alone (its document, operation name and variables) and
 * are the same for every request that sends it: what it costs, what it may spend upstream. A
 * client that pages sends the same document with the same few variables again and again; yoga's
 * parser cache hands back the same DocumentNode for the same text, so the figures are kept per
 * document object and variables.
 *
 * Bounded: variables longer than `maxKeyLength` are not kept (they are computed each time), and
 * past `maxEntries` everything is dropped and kept anew.
 */
export interface OperationMemo<T> {
  get(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Readonly<Record<string, unknown>> | null | undefined,
    compute: () => T,
  ): T;
}

export function createOperationMemo<T>(maxEntries = 1000, maxKeyLength = 2048): OperationMemo<T> {
  let byDocument = new WeakMap<DocumentNode, Map<string, T>>();
  let entries = 0;
  return {
    get(document, operationName, variables, compute) {
      const key = `${operationName ?? ''}\n${variables ? JSON.stringify(variables) : ''}`;
      if (key.length > maxKeyLength) return compute();
      let known = byDocument.get(document);
      const found = known?.get(key);
      if (found !== undefined) return found;
      const value = compute();
      if (entries >= maxEntries) {
        byDocument = new WeakMap();
        entries = 0;
        known = undefined;
      }
      if (!known) {
        known = new Map();
        byDocument.set(document, known);
      }
      known.set(key, value);
      entries++;
      return value;
    },
  };
}
