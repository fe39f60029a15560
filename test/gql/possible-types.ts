
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "Job": [
      "ImportExportJob",
      "IotJob"
    ],
    "Node": [
      "ImportExportJob",
      "IotJob"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "Job": [
      "ImportExportJob",
      "IotJob"
    ],
    "Node": [
      "ImportExportJob",
      "IotJob"
    ]
  }
};
      export default result;
    