# aws-mfa hook for xonsh. Load it from ~/.xonshrc with:
#   execx($(aws-mfa hook xonsh))
$AWS_MFA_SHELL = 'xonsh'
_aws_mfa_bin = '@AWS_MFA@'

def _aws_mfa(args):
    """aws-mfa, applying `aws-mfa env` sessions to this shell."""
    import subprocess
    if args and args[0] == 'env':
        r = subprocess.run([_aws_mfa_bin] + list(args), stdout=subprocess.PIPE, text=True, env=${...}.detype())
        if r.returncode == 0:
            execx(r.stdout)
        return r.returncode
    return subprocess.run([_aws_mfa_bin] + list(args), env=${...}.detype()).returncode

aliases['aws-mfa'] = _aws_mfa
