"""Reads credentials and config files the way the AWS CLI does, for aws-mfa's tests.

The first line out is {"botocore": "<version>"} once botocore is imported,
or {"unavailable": "<why>"} before exiting.

Then one JSON request per line on stdin, a list of queries:
  {"data": "<base64 of the file>", "target": "profile or empty",
   "config": "<base64 of the config file> (optional: none when absent)",
   "as": "" | "flat" | "config" | "region"}
and one JSON answer per line on stdout, a list of answers in the same order:
  {"sections": {name: {key: value}}, "error": "...",
   "target": {"key": ..., "secret": ..., "token": ...} or null, "target_error": "...",
   "region": "..."}

"sections" is what botocore's shared-credentials provider parses (with
[DEFAULT]'s keys inherited, nested values parsed); with "as": "flat", the
same without parsing nested values; with "as": "config", the file read as a
config file: build_profile_map's "profiles" (profile name: {key: value}).
"target" is what botocore's own credential resolver, as
Session(profile=target) builds it, returns for the target, with no
environment and the config file given. With "as": "region", the answer's
"region" alone is set: Session(profile=target).get_config_variable("region"),
"" for none.

A query {"shlex": [strings]} is answered {"shlex": [words or null]}, null
where shlex.split raises ValueError.

A query {"run": "<Python code>", "args": [...], "env": {...}, "cwd": "..."}
runs the code as `python3 -c CODE ARGS...` would with that environment (and
nothing else) in that directory, stdin at /dev/null, and is answered
{"stdout": "<what it printed>", "error": "<the traceback, if it raised>"};
the peer's own environment and directory are then put back. A program
that asks botocore in a process of its own pays some 0.2 s of CPU to
start Python and import botocore; here it pays neither.
"""
import base64
import contextlib
import functools
import io
import json
import os
import shlex
import sys
import tempfile
import traceback


def main():
    # No environment at all: no AWS_* or BOTO* variable, no proxy, no
    # ~/.boto or ~/.aws of the real user.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "credentials")
        os.environ.clear()
        os.environ.update(
            HOME=tmp,
            AWS_SHARED_CREDENTIALS_FILE=path,
            AWS_CONFIG_FILE=os.path.join(tmp, "no-config"),
            AWS_EC2_METADATA_DISABLED="true",
            BOTO_CONFIG=os.path.join(tmp, "no-boto"),
        )
        try:
            import botocore
            import botocore.configloader
            import botocore.credentials
            import botocore.httpsession
            import botocore.session
        except ImportError as e:
            answer({"unavailable": "%s: %s" % (type(e).__name__, e)})
            return
        answer({"botocore": botocore.__version__})
        # Every resolver builds the instance metadata and container
        # fetchers, and each makes a TLS context (a third of the
        # resolver's cost) that it never uses here: the metadata service
        # is disabled and no container endpoint is set. One context
        # serves them all; what the resolver reads is unchanged.
        botocore.httpsession.create_urllib3_context = functools.lru_cache(botocore.httpsession.create_urllib3_context)
        session = botocore.session.Session()
        for line in sys.stdin:
            answer([ask(botocore, session, path, q) for q in json.loads(line)])


def answer(v):
    sys.stdout.write(json.dumps(v) + "\n")
    sys.stdout.flush()


def ask(botocore, session, path, q):
    """Answers one query, with botocore imported once the environment is set."""
    if "shlex" in q:
        return {"shlex": [split(text) for text in q["shlex"]]}
    if "run" in q:
        return run(q)
    put(path, base64.b64decode(q["data"]))
    config = os.environ["AWS_CONFIG_FILE"]
    if q.get("config") is not None:
        put(config, base64.b64decode(q["config"]))
    elif os.path.exists(config):
        os.remove(config)
    view = {"sections": None, "error": "", "target": None, "target_error": "", "region": ""}
    if q.get("as") == "region":
        use_profile(session, q["target"])
        view["region"] = session.get_config_variable("region") or ""
        return view
    try:
        if q.get("as") == "config":
            parsed = botocore.configloader.raw_config_parse(path)
            view["sections"] = botocore.configloader.build_profile_map(parsed)["profiles"]
        else:
            view["sections"] = botocore.configloader.raw_config_parse(path, parse_subsections=q.get("as") != "flat")
    except Exception as e:  # the CLI fails the same way: "Unable to parse config file"
        view["error"] = "%s: %s" % (type(e).__name__, e)
    target = q.get("target")
    if target:
        try:
            # What Session(profile=target).get_credentials() does.
            use_profile(session, target)
            creds = botocore.credentials.create_credential_resolver(session).load_credentials()
            if creds is not None and creds.method != "shared-credentials-file":
                # Another provider won (AssumeRole, SSO, ...): its
                # credentials would be fetched over the network.
                view["target_error"] = "method " + creds.method
            elif creds is not None:
                c = creds.get_frozen_credentials()
                view["target"] = {"key": c.access_key, "secret": c.secret_key, "token": c.token}
        except Exception as e:
            view["target_error"] = type(e).__name__
    return view


def run(q):
    """Runs q["run"] as python3 -c would, in q's environment and directory."""
    env, cwd, argv = dict(os.environ), os.getcwd(), sys.argv
    stdin = os.dup(0)  # the requests: a child the code starts must not read them
    null = os.open(os.devnull, os.O_RDONLY)
    out, error = io.StringIO(), ""
    try:
        os.dup2(null, 0)
        os.environ.clear()
        os.environ.update(q["env"])
        os.chdir(q["cwd"])
        sys.argv = ["-c"] + q.get("args", [])
        with contextlib.redirect_stdout(out):
            exec(compile(q["run"], "<string>", "exec"), {"__name__": "__main__"})
    except BaseException:  # SystemExit too: python3 -c would exit
        error = traceback.format_exc()
    finally:
        sys.argv = argv
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        os.dup2(stdin, 0)
        os.close(stdin)
        os.close(null)
    return {"stdout": out.getvalue(), "error": error}


def put(path, data):
    """Writes data over the file at path in place: truncating a file to
    nothing makes ext4 flush it to disk on close (auto_da_alloc), which
    costs far more than reading it."""
    with open(path, "r+b" if os.path.exists(path) else "wb") as f:
        f.write(data)
        f.truncate()


def use_profile(session, profile):
    """Makes session what Session(profile=profile) would be, on a session
    whose handlers are registered once: its cached config is dropped so
    that the new files are read."""
    session._config = None
    session._profile_map = None
    session.set_config_variable("profile", profile)


def split(text):
    try:
        return shlex.split(text)
    except ValueError:
        return None


main()
