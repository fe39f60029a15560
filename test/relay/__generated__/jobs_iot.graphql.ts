/**
 * @generated SignedSource<<a11b3847454808247372c605ba2d170c>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import type { ReaderFragment } from 'relay-runtime';
export type IotJobStatus = "CANCELED" | "COMPLETED" | "DELETION_IN_PROGRESS" | "IN_PROGRESS" | "SCHEDULED" | "UNKNOWN" | "%future added value";
export type JobSource = "IMPORT_EXPORT" | "IOT" | "%future added value";
import type { FragmentRefs } from "relay-runtime";
export type jobs_iot$data = {
  readonly iotJobs: {
    readonly edges: ReadonlyArray<{
      readonly node: {
        readonly __typename: "IotJob";
        readonly createdAt: string | null | undefined;
        readonly id: string;
        readonly isCanceled: boolean;
        readonly jobId: string;
        readonly source: JobSource;
        readonly status: IotJobStatus | null | undefined;
      };
    }>;
  } | null | undefined;
  readonly " $fragmentType": "jobs_iot";
};
export type jobs_iot$key = {
  readonly " $data"?: jobs_iot$data;
  readonly " $fragmentSpreads": FragmentRefs<"jobs_iot">;
};

import jobsIotPaginationQuery_graphql from './jobsIotPaginationQuery.graphql';

const node: ReaderFragment = (function(){
var v0 = [
  "iotJobs"
];
return {
  "argumentDefinitions": [
    {
      "defaultValue": null,
      "kind": "LocalArgument",
      "name": "after"
    },
    {
      "defaultValue": 50,
      "kind": "LocalArgument",
      "name": "first"
    }
  ],
  "kind": "Fragment",
  "metadata": {
    "connection": [
      {
        "count": "first",
        "cursor": "after",
        "direction": "forward",
        "path": (v0/*:: as any*/)
      }
    ],
    "refetch": {
      "connection": {
        "forward": {
          "count": "first",
          "cursor": "after"
        },
        "backward": null,
        "path": (v0/*:: as any*/)
      },
      "fragmentPathInResult": [],
      "operation": jobsIotPaginationQuery_graphql
    }
  },
  "name": "jobs_iot",
  "selections": [
    {
      "alias": "iotJobs",
      "args": null,
      "concreteType": "IotJobConnection",
      "kind": "LinkedField",
      "name": "__jobs_iot_iotJobs_connection",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "concreteType": "IotJobEdge",
          "kind": "LinkedField",
          "name": "edges",
          "plural": true,
          "selections": [
            {
              "alias": null,
              "args": null,
              "concreteType": "IotJob",
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
                  "name": "source",
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
                  "name": "isCanceled",
                  "storageKey": null
                },
                {
                  "alias": null,
                  "args": null,
                  "kind": "ScalarField",
                  "name": "status",
                  "storageKey": null
                }
              ],
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "cursor",
              "storageKey": null
            }
          ],
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "concreteType": "PageInfo",
          "kind": "LinkedField",
          "name": "pageInfo",
          "plural": false,
          "selections": [
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "endCursor",
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "hasNextPage",
              "storageKey": null
            }
          ],
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Query",
  "abstractKey": null
};
})();

(node as any).hash = "49a9781859bac692f71b20dd845a429a";

export default node;
