/**
 * @generated SignedSource<<69efb1ee666df741a4a013ca5edb0f4b>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import type { ReaderFragment } from 'relay-runtime';
import type { FragmentRefs } from "relay-runtime";
export type jobs_node$data = {
  readonly createdAt: string | null | undefined;
  readonly id: string;
  readonly jobId: string;
  readonly " $fragmentType": "jobs_node";
};
export type jobs_node$key = {
  readonly " $data"?: jobs_node$data;
  readonly " $fragmentSpreads": FragmentRefs<"jobs_node">;
};

import jobsNodeRefetchQuery_graphql from './jobsNodeRefetchQuery.graphql';

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": {
    "refetch": {
      "connection": null,
      "fragmentPathInResult": [
        "node"
      ],
      "operation": jobsNodeRefetchQuery_graphql,
      "identifierInfo": {
        "identifierField": "id",
        "identifierQueryVariableName": "id"
      }
    }
  },
  "name": "jobs_node",
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "jobId",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "createdAt",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "id",
      "storageKey": null
    }
  ],
  "type": "Job",
  "abstractKey": "__isJob"
};

(node as any).hash = "72bb42938ec45e21b01ddd8dd2fc044d";

export default node;
