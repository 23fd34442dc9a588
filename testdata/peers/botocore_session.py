"""Reads credentials files the way the AWS CLI does, for aws-mfa's tests.

One JSON request per line on stdin:
  {"data": "<base64 of the credentials file>", "target": "profile or empty",
   "config": "<base64 of the config file> (optional: none when absent)"}
One JSON answer per line on stdout:
  {"sections": {name: {key: value}}, "error": "...",
   "target": {"key": ..., "secret": ..., "token": ...} or null, "target_error": "..."}

"sections" is what botocore's shared-credentials provider parses (with
[DEFAULT]'s keys inherited, nested values parsed); "target" is what
botocore's own credential resolver, as Session(profile=target) builds it,
returns for the target, with no environment and the config file given.
"""
import base64
import json
import os
import sys
import tempfile

with tempfile.TemporaryDirectory() as tmp:
    for k in list(os.environ):
        if k.startswith("AWS_") or k.startswith("BOTO"):
            del os.environ[k]
    path = os.path.join(tmp, "credentials")
    os.environ["HOME"] = tmp  # no ~/.boto, no ~/.aws of the real user
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = path
    os.environ["AWS_CONFIG_FILE"] = os.path.join(tmp, "no-config")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ["BOTO_CONFIG"] = os.path.join(tmp, "no-boto")

    import botocore.configloader
    import botocore.credentials
    import botocore.session

    session = botocore.session.Session()
    for line in sys.stdin:
        req = json.loads(line)
        with open(path, "wb") as f:
            f.write(base64.b64decode(req["data"]))
        config = os.environ["AWS_CONFIG_FILE"]
        if "config" in req:
            with open(config, "wb") as f:
                f.write(base64.b64decode(req["config"]))
        elif os.path.exists(config):
            os.remove(config)
        answer = {"sections": None, "error": "", "target": None, "target_error": ""}
        try:
            answer["sections"] = botocore.configloader.raw_config_parse(path)
        except Exception as e:  # the CLI fails the same way: "Unable to parse config file"
            answer["error"] = type(e).__name__
        target = req.get("target")
        if target:
            try:
                # What Session(profile=target).get_credentials() does, on a
                # session whose handlers are registered once: its cached
                # config is dropped so that the new file is read.
                session._config = None
                session._profile_map = None
                session.set_config_variable("profile", target)
                creds = botocore.credentials.create_credential_resolver(session).load_credentials()
                if creds is not None and creds.method != "shared-credentials-file":
                    # Another provider won (AssumeRole, SSO, ...): its
                    # credentials would be fetched over the network.
                    answer["target_error"] = "method " + creds.method
                elif creds is not None:
                    c = creds.get_frozen_credentials()
                    answer["target"] = {"key": c.access_key, "secret": c.secret_key, "token": c.token}
            except Exception as e:
                answer["target_error"] = type(e).__name__
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
