"""Reads credentials files the way the AWS CLI does, for aws-mfa's tests.

One JSON request per line on stdin: {"data": "<base64 of the file>"}.
One JSON answer per line on stdout: {"sections": {name: {key: value}}} or
{"error": "..."}.
"""
import base64
import json
import os
import sys
import tempfile

import botocore.configloader

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "credentials")
    for line in sys.stdin:
        req = json.loads(line)
        with open(path, "wb") as f:
            f.write(base64.b64decode(req["data"]))
        try:
            parsed = botocore.configloader.raw_config_parse(path, parse_subsections=False)
            answer = {"sections": parsed}
        except Exception as e:  # the CLI fails the same way: "Unable to parse config file"
            answer = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
