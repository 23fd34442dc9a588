"""Reads credentials files the way the AWS CLI does, for aws-mfa's tests.

One JSON request per line on stdin: {"data": "<base64 of the file>"}.
One JSON answer per line on stdout: {"sections": {name: {key: value}}} or
{"error": "..."}.

With "profiles": true the file is read as a config file: the answer's
"sections" is build_profile_map's "profiles" (profile name: {key: value}).
With "shlex": [strings] the answer is {"shlex": [words or null]}, null where
shlex.split raises ValueError.
"""
import base64
import json
import os
import sys
import shlex
import tempfile

import botocore.configloader

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "credentials")
    for line in sys.stdin:
        req = json.loads(line)
        if "shlex" in req:
            out = []
            for text in req["shlex"]:
                try:
                    out.append(shlex.split(text))
                except ValueError:
                    out.append(None)
            sys.stdout.write(json.dumps({"shlex": out}) + "\n")
            sys.stdout.flush()
            continue
        with open(path, "wb") as f:
            f.write(base64.b64decode(req["data"]))
        try:
            if req.get("profiles"):
                parsed = botocore.configloader.build_profile_map(botocore.configloader.raw_config_parse(path))["profiles"]
            else:
                parsed = botocore.configloader.raw_config_parse(path, parse_subsections=False)
            answer = {"sections": parsed}
        except Exception as e:  # the CLI fails the same way: "Unable to parse config file"
            answer = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
