"""Pages through both simulators with boto3, as a Python user of the real services would.

Prints one JSON line: what each service listed, and one GetStatus answer. The endpoints and keys
come from the environment, set by test/boto3.e2e.test.ts.
"""
import json
import os

import boto3

keys = dict(
    region_name="us-east-1",
    aws_access_key_id=os.environ["KEY_ID"],
    aws_secret_access_key=os.environ["SECRET"],
)

iot = boto3.client("iot", endpoint_url=os.environ["IOT_URL"], **keys)
iot_ids = []
for page in iot.get_paginator("list_jobs").paginate(PaginationConfig={"PageSize": 40}):
    iot_ids.extend(job["jobId"] for job in page["jobs"])
completed = []
for page in iot.get_paginator("list_jobs").paginate(
    status="COMPLETED", PaginationConfig={"PageSize": 7}
):
    completed.extend(job["jobId"] for job in page["jobs"])

importexport = boto3.client("importexport", endpoint_url=os.environ["IE_URL"], **keys)
ie_ids = []
for page in importexport.get_paginator("list_jobs").paginate(PaginationConfig={"PageSize": 25}):
    ie_ids.extend(job["JobId"] for job in page["Jobs"])
status = importexport.get_status(JobId=ie_ids[0])

try:
    iot.describe_job(jobId="no-such-job")
    missing = "found"
except iot.exceptions.ResourceNotFoundException:
    missing = "ResourceNotFoundException"

print(
    json.dumps(
        {
            "iot": iot_ids,
            "completed": completed,
            "importExport": ie_ids,
            "status": {"JobId": status["JobId"], "ProgressCode": status.get("ProgressCode")},
            "missing": missing,
        }
    )
)
