# aws-mfa hook for xonsh. Load it from ~/.xonshrc with:
#   execx($(aws-mfa hook xonsh))
_aws_mfa_bin = '@AWS_MFA@'

def _aws_mfa(args):
    """aws-mfa, applying `aws-mfa env` sessions to this shell. The dialect
    goes to each call as --shell, never to the environment, so a child
    process still detects its own shell."""
    import subprocess
    env = ${...}.detype()
    args = list(args)

    def apply(argv, stdin=None):
        r = subprocess.run([_aws_mfa_bin] + argv, stdout=subprocess.PIPE, stdin=stdin, text=True, env=env)
        if r.returncode == 0:
            execx(r.stdout)
        return r.returncode

    cmd = args[0] if args else ''
    if cmd.startswith('-'):
        # Options may come before the subcommand (aws-mfa -p work env):
        # the binary names it.
        r = subprocess.run([_aws_mfa_bin, '__command'] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        cmd = r.stdout.strip().partition(' ')[2]
    if cmd == 'env':
        # __env puts --shell after env and prints nothing but that code on
        # stdout (env --help goes to stderr).
        return apply(['__env', 'xonsh'] + args)
    if cmd == 'doctor':
        env = dict(env, AWS_MFA_SHELL='xonsh')  # tells doctor the hook is loaded
    rc = subprocess.run([_aws_mfa_bin] + args, env=env).returncode
    target = env.get('AWS_MFA_TARGET', '')
    if rc == 0 and (cmd == '' or cmd[:1].isdigit()) and target:
        # After a refresh, re-apply the session of the target profile
        # this shell holds, so that stale variables never hide it.
        apply(['__reexport', 'xonsh', target] + args, stdin=subprocess.DEVNULL)
    return rc

aliases['aws-mfa'] = _aws_mfa

_aws_mfa_vars = '@AWS_MFA_VARS@'.split()

@events.on_pre_prompt
def _aws_mfa_hook(**kwargs):
    """Before each prompt: remove an expired session aws-mfa exported, warn
    once when ten minutes are left, and set AWS_MFA_PROMPT."""
    import re, sys, time
    global _aws_mfa_warned
    $AWS_MFA_PROMPT = ''
    # AWS_MFA_EXPIRY comes from the environment: only 1 to 18 plain ASCII
    # digits are used (int() would also take spaces, _ and other scripts).
    expiry = ${...}.get('AWS_MFA_EXPIRY', '')
    if not isinstance(expiry, str) or not re.fullmatch('[1-9][0-9]{0,17}', expiry):
        return
    secs = int(expiry) - int(time.time())
    # The name goes to the terminal: no control character (an escape
    # sequence from the environment) gets there.
    target = ''.join(c if c.isprintable() else '?' for c in str(${...}.get('AWS_MFA_TARGET', '')))
    if secs <= 0:
        print(f'aws-mfa: the session for [{target}] expired and was removed from this shell; run aws-mfa env', file=sys.stderr)
        for name in _aws_mfa_vars:
            ${...}.pop(name, None)
        return
    # The time left as shells.Left says it: 1h05m, 9m, under a minute.
    left = f'{secs // 3600}h{secs % 3600 // 60:02d}m' if secs >= 3600 else f'{secs // 60}m' if secs >= 60 else 'under a minute'
    if secs < 600 and globals().get('_aws_mfa_warned') != $AWS_MFA_EXPIRY:
        _aws_mfa_warned = $AWS_MFA_EXPIRY
        print(f'aws-mfa: the session for [{target}] expires in {left}', file=sys.stderr)
    $AWS_MFA_PROMPT = f'{target} {left}'
