/**
 * @generated SignedSource<<45086905288f73b97c3a9e46b14dd259>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import type { ConcreteRequest } from 'relay-runtime';
import type { FragmentRefs } from "relay-runtime";
export type jobsNodeRefetchQuery$variables = {
  id: string;
};
export type jobsNodeRefetchQuery$data = {
  readonly node: {
    readonly " $fragmentSpreads": FragmentRefs<"jobs_node">;
  } | null | undefined;
};
export type jobsNodeRefetchQuery = {
  response: jobsNodeRefetchQuery$data;
  variables: jobsNodeRefetchQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "jobsNodeRefetchQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "jobs_node"
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "jobsNodeRefetchQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "__typename",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "id",
            "storageKey": null
          },
          {
            "kind": "InlineFragment",
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
              }
            ],
            "type": "Job",
            "abstractKey": "__isJob"
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "58ecec5a939a16b2559fac96803185f4",
    "id": null,
    "metadata": {},
    "name": "jobsNodeRefetchQuery",
    "operationKind": "query",
    "text": "query jobsNodeRefetchQuery(\n  $id: ID!\n) {\n  node(id: $id) {\n    __typename\n    ...jobs_node\n    id\n  }\n}\n\nfragment jobs_node on Job {\n  __isJob: __typename\n  jobId\n  createdAt\n  id\n}\n"
  }
};
})();

(node as any).hash = "72bb42938ec45e21b01ddd8dd2fc044d";

export default node;
