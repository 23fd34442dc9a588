	# The body of the aws-mfa function, shared by the bash, zsh and POSIX
	# sh hooks (render puts it in their wrapper placeholder line) so that the
	# copies cannot drift; it is plain POSIX sh.
	# The dialect goes to each call as --shell, never exported, so a child
	# process (a script, another shell) still detects its own shell.
	# The captured output holds the secret key: it lives only in this
	# function's positional parameters, which every shell drops when the
	# function returns, fails or is interrupted. Its last word is the
	# binary's exit status; nothing is applied unless that is 0.
	case "${1-}" in
	env)
		shift
		set -- "$(if "$_aws_mfa_bin" env --shell "$_aws_mfa_shell" "$@"; then printf ' 0'; else printf ' %s' "$?"; fi)"
		[ "${1##* }" = 0 ] || return "${1##* }"
		eval "${1% *}"
		;;
	"" | -* | [0-9]*)
		"$_aws_mfa_bin" "$@" || return
		if [ -n "${AWS_MFA_TARGET-}" ]; then
			set -- "$(if "$_aws_mfa_bin" env --shell "$_aws_mfa_shell" --cached --pair "$AWS_MFA_TARGET" </dev/null; then printf ' 0'; else printf ' %s' "$?"; fi)"
			[ "${1##* }" != 0 ] || eval "${1% *}"
		fi
		;;
	doctor)
		# Only doctor is told, for this one call, that the hook is loaded.
		AWS_MFA_SHELL=$_aws_mfa_shell "$_aws_mfa_bin" "$@"
		;;
	*)
		"$_aws_mfa_bin" "$@"
		;;
	esac
