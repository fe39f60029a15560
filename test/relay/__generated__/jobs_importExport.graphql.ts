/**
 * @generated SignedSource<<0b311ff40011be977701cdac65630c3e>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import type { ReaderFragment } from 'relay-runtime';
export type ImportExportJobType = "EXPORT" | "IMPORT" | "UNKNOWN" | "%future added value";
export type JobSource = "IMPORT_EXPORT" | "IOT" | "%future added value";
import type { FragmentRefs } from "relay-runtime";
export type jobs_importExport$data = {
  readonly importExportJobs: {
    readonly edges: ReadonlyArray<{
      readonly node: {
        readonly __typename: "ImportExportJob";
        readonly createdAt: string | null | undefined;
        readonly id: string;
        readonly isCanceled: boolean;
        readonly jobId: string;
        readonly jobType: ImportExportJobType | null | undefined;
        readonly source: JobSource;
      };
    }>;
  } | null | undefined;
  readonly " $fragmentType": "jobs_importExport";
};
export type jobs_importExport$key = {
  readonly " $data"?: jobs_importExport$data;
  readonly " $fragmentSpreads": FragmentRefs<"jobs_importExport">;
};

import jobsImportExportPaginationQuery_graphql from './jobsImportExportPaginationQuery.graphql';

const node: ReaderFragment = (function(){
var v0 = [
  "importExportJobs"
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
      "operation": jobsImportExportPaginationQuery_graphql
    }
  },
  "name": "jobs_importExport",
  "selections": [
    {
      "alias": "importExportJobs",
      "args": null,
      "concreteType": "ImportExportJobConnection",
      "kind": "LinkedField",
      "name": "__jobs_importExport_importExportJobs_connection",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "concreteType": "ImportExportJobEdge",
          "kind": "LinkedField",
          "name": "edges",
          "plural": true,
          "selections": [
            {
              "alias": null,
              "args": null,
              "concreteType": "ImportExportJob",
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
                  "name": "jobType",
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

(node as any).hash = "b3264ff0192c877b076126ccc24fcafa";

export default node;
