# The aws-mfa wrapper's functions, shared by the bash, zsh and POSIX sh
# hooks (render puts them in place of their wrapper placeholder line) so
# that the copies cannot drift; they are plain POSIX sh.
# The dialect goes to each call as --shell, never exported, so a child
# process (a script, another shell) still detects its own shell.

# _aws_mfa_apply runs the binary with "$@" and applies what it printed,
# only if it exited 0. The output holds the secret key: it lives only in
# this function's positional parameters, which every shell drops when the
# function returns, fails or is interrupted; its last word is the status.
# Under set -x or set -v the shell would print it: both are off for the
# call, then back on.
_aws_mfa_apply() {
	case $- in
	*[xv]*)
		_aws_mfa_opts=$-
		set +xv
		if _aws_mfa_apply "$@"; then set -- 0; else set -- "$?"; fi
		case $_aws_mfa_opts in *x*) set -x ;; esac
		case $_aws_mfa_opts in *v*) set -v ;; esac
		return "$1"
		;;
	esac
	set -- "$(if "$_aws_mfa_bin" "$@"; then printf ' 0'; else printf ' %s' "$?"; fi)"
	[ "${1##* }" = 0 ] || return "${1##* }"
	eval "${1% *}"
}

# _aws_mfa_refresh refreshes, then re-applies the session of the target
# profile aws-mfa exported before (AWS_MFA_TARGET, a profile, which
# __reexport maps to its pair), so that fresh file credentials are never
# hidden behind stale variables.
_aws_mfa_refresh() {
	"$_aws_mfa_bin" "$@" || return
	if [ -n "${AWS_MFA_TARGET-}" ]; then
		_aws_mfa_apply __reexport "$_aws_mfa_shell" "$AWS_MFA_TARGET" "$@" </dev/null || return 0
	fi
}

# _aws_mfa_env applies an env line to this shell. bash and zsh say when
# they run it in a subshell (eval "$(aws-mfa env)", a pipe, parentheses),
# where the session ends with the subshell: the binary is told, for this
# call only, so that its note says so. Nothing is printed for an eval: a
# subshell's output may go to a log or a file, never the secret.
_aws_mfa_env() {
	# shellcheck disable=SC3028 # each read in its own shell
	case $_aws_mfa_shell in
	bash) AWS_MFA_SUBSHELL=${BASH_SUBSHELL-0} _aws_mfa_apply __env "$_aws_mfa_shell" "$@" ;;
	zsh) AWS_MFA_SUBSHELL=${ZSH_SUBSHELL-0} _aws_mfa_apply __env "$_aws_mfa_shell" "$@" ;;
	*) _aws_mfa_apply __env "$_aws_mfa_shell" "$@" ;;
	esac
}

# _aws_mfa_wrapper is the body of aws-mfa. Only doctor is told, for its
# one call, that the hook is loaded. An env line goes to __env, which
# puts this shell's --shell after env and prints nothing but that code on
# stdout (env --help goes to stderr). A line that starts with an option
# may still be env (aws-mfa -p work env): the binary says which
# subcommand it is.
_aws_mfa_wrapper() {
	case "${1-}" in
	env)
		_aws_mfa_env "$@"
		;;
	doctor)
		AWS_MFA_SHELL=$_aws_mfa_shell "$_aws_mfa_bin" "$@"
		;;
	-*)
		case $("$_aws_mfa_bin" __command "$@" 2>/dev/null) in
		"") _aws_mfa_refresh "$@" ;;
		*" env") _aws_mfa_env "$@" ;;
		*" doctor") AWS_MFA_SHELL=$_aws_mfa_shell "$_aws_mfa_bin" "$@" ;;
		*) "$_aws_mfa_bin" "$@" ;;
		esac
		;;
	"" | [0-9]*)
		_aws_mfa_refresh "$@"
		;;
	*)
		"$_aws_mfa_bin" "$@"
		;;
	esac
}
