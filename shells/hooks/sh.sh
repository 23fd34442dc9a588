# shellcheck shell=sh
# aws-mfa hook for POSIX shells: ksh93, mksh, yash, dash, busybox sh.
# Load it from your rc file (~/.kshrc, ~/.mkshrc, ~/.yashrc) with:
#   eval "$(aws-mfa hook sh)"
# It is safe to load twice, and works under set -eu.

_aws_mfa_bin='@AWS_MFA@'
_aws_mfa_shell='sh'

@AWS_MFA_WRAPPER@

# aws_mfa wraps the binary (aliased to aws-mfa): `aws-mfa env ...` applies
# the session to this shell, and a refresh also refreshes variables
# aws-mfa exported before. Output is captured whole before anything is
# applied, and nothing is applied when the binary fails.
aws_mfa() {
	_aws_mfa_wrapper "$@"
}
alias aws-mfa=aws_mfa
