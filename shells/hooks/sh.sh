# shellcheck shell=sh
# aws-mfa hook for POSIX shells: ksh93, mksh, yash, dash, busybox sh.
# Load it from your rc file (~/.kshrc, ~/.mkshrc, ~/.yashrc) with:
#   eval "$(aws-mfa hook sh)"
# It is safe to load twice, and works under set -eu.

_aws_mfa_bin='@AWS_MFA@'
AWS_MFA_SHELL='sh'
export AWS_MFA_SHELL

# aws_mfa wraps the binary (aliased to aws-mfa): `aws-mfa env ...` applies
# the session to this shell, and a refresh also refreshes variables
# aws-mfa exported before. Output is captured whole before anything is
# applied, and nothing is applied when the binary fails.
aws_mfa() {
	case "${1-}" in
	env)
		_aws_mfa_out=$("$_aws_mfa_bin" "$@") || return
		eval "$_aws_mfa_out"
		;;
	"" | -* | [0-9]*)
		"$_aws_mfa_bin" "$@" || return
		if [ -n "${AWS_MFA_TARGET-}" ]; then
			_aws_mfa_out=$("$_aws_mfa_bin" env --cached --shell sh --pair "$AWS_MFA_TARGET" </dev/null) || return 0
			eval "$_aws_mfa_out"
		fi
		;;
	*)
		"$_aws_mfa_bin" "$@"
		;;
	esac
}
alias aws-mfa=aws_mfa
