# shellcheck shell=bash
# aws-mfa hook for bash. Load it from ~/.bashrc with:
#   eval "$(aws-mfa hook bash)"
# It is safe to load twice, and works under set -euo pipefail.

_aws_mfa_bin='@AWS_MFA@'
_aws_mfa_shell='bash'
_aws_mfa_vars='@AWS_MFA_VARS@'

@AWS_MFA_WRAPPER@

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session to this
# shell, and a refresh also refreshes variables aws-mfa exported before.
# Output is captured whole before anything is applied, and nothing is
# applied when the binary fails. In POSIX mode (bash --posix, set -o posix)
# no function may be defined under that name, but one defined outside it
# runs there as anywhere (an alias would not: not in a line read before
# it, nor in a function defined before it): POSIX mode is left around the
# definition.
case :$SHELLOPTS: in
*:posix:*)
	_aws_mfa_posix=1
	set +o posix
	;;
esac
aws-mfa() {
	_aws_mfa_wrapper "$@"
}
if [ -n "${_aws_mfa_posix-}" ]; then
	set -o posix
	unset _aws_mfa_posix
fi

# _aws_mfa_left sets _aws_mfa_secs to the seconds the exported session has
# left. bash 5 has $EPOCHSECONDS and bash 4.2 printf's %(%s)T, so neither
# starts a process; only bash 3.2 (macOS's /bin/bash) runs date(1). Before
# bash 5, EPOCHSECONDS is an ordinary variable that the environment may
# set (to a wrong time, or to code for arithmetic), so it is read only in
# bash 5, and there too only as plain digits (unset, it is ordinary again).
_aws_mfa_left() {
	local now=
	if ((BASH_VERSINFO[0] >= 5)); then
		now=${EPOCHSECONDS-}
	fi
	case $now in
	"" | *[!0-9]*)
		printf -v now '%(%s)T' -1 2>/dev/null || now=$(date +%s)
		;;
	esac
	_aws_mfa_secs=$((AWS_MFA_EXPIRY - now))
}

# _aws_mfa_hook runs before each prompt: it removes an expired session
# aws-mfa exported, warns once when ten minutes are left, and sets
# AWS_MFA_PROMPT for PS1 ("default 1h23m").
_aws_mfa_hook() {
	local status=$? _aws_mfa_secs _aws_mfa_target _aws_mfa_time
	AWS_MFA_PROMPT=
	# AWS_MFA_EXPIRY comes from the environment, and bash arithmetic would
	# run a command substitution in it: only 1 to 18 plain digits (no
	# octal, no overflow) are used; anything else is not aws-mfa's.
	case ${AWS_MFA_EXPIRY-} in
	"" | 0* | *[!0-9]* | ???????????????????*) ;;
	*)
		_aws_mfa_left
		# The name goes to the terminal: no control character (an escape
		# sequence from the environment) gets there, in any locale.
		_aws_mfa_target=${AWS_MFA_TARGET-}
		_aws_mfa_target=${_aws_mfa_target//[![:print:]]/?}
		if ((_aws_mfa_secs <= 0)); then
			printf 'aws-mfa: the session for [%s] expired and was removed from this shell; run aws-mfa env\n' "$_aws_mfa_target" >&2
			# shellcheck disable=SC2086 # the names are split on purpose
			unset $_aws_mfa_vars
		else
			# The time left as shells.Left says it: 1h05m, 9m, under a minute.
			if ((_aws_mfa_secs >= 3600)); then
				printf -v _aws_mfa_time '%dh%02dm' $((_aws_mfa_secs / 3600)) $((_aws_mfa_secs % 3600 / 60))
			elif ((_aws_mfa_secs >= 60)); then
				_aws_mfa_time="$((_aws_mfa_secs / 60))m"
			else
				_aws_mfa_time='under a minute'
			fi
			if ((_aws_mfa_secs < 600)) && [ "${_aws_mfa_warned-}" != "$AWS_MFA_EXPIRY" ]; then
				_aws_mfa_warned=$AWS_MFA_EXPIRY
				printf 'aws-mfa: the session for [%s] expires in %s\n' "$_aws_mfa_target" "$_aws_mfa_time" >&2
			fi
			AWS_MFA_PROMPT="$_aws_mfa_target $_aws_mfa_time"
		fi
		;;
	esac
	return $status
}

# aws_mfa_prompt prints what AWS_MFA_PROMPT holds, for PS1='$(aws_mfa_prompt) \$ '.
aws_mfa_prompt() {
	printf '%s' "${AWS_MFA_PROMPT-}"
}

# Register the hook once, first, in either form of PROMPT_COMMAND: an
# array (bash 5.1) or a string. The syntax here parses in bash 3.2 too.
case "$(declare -p PROMPT_COMMAND 2>/dev/null)" in
"declare -a"*)
	case " ${PROMPT_COMMAND[*]} " in
	*" _aws_mfa_hook "*) ;;
	*) PROMPT_COMMAND=(_aws_mfa_hook "${PROMPT_COMMAND[@]}") ;;
	esac
	;;
*)
	# shellcheck disable=SC2128,SC2178 # here it is the string form
	case ";${PROMPT_COMMAND-};" in
	*";_aws_mfa_hook;"*) ;;
	*) PROMPT_COMMAND="_aws_mfa_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
	esac
	;;
esac

@AWS_MFA_COMPLETION@
