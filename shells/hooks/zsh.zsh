# aws-mfa hook for zsh. Load it from ~/.zshrc with:
#   eval "$(aws-mfa hook zsh)"
# It is safe to load twice, and works under setopt nounset.

# $EPOCHSECONDS, without a process. An EPOCHSECONDS inherited from the
# environment is an ordinary variable that stops the module from adding
# its own ("parameter already exists"): remove it first. The hook still
# uses only plain digits from it.
if [[ ${(t)EPOCHSECONDS-} != *special* ]]; then
	unset EPOCHSECONDS 2>/dev/null
	zmodload zsh/datetime 2>/dev/null
fi
typeset -g _aws_mfa_bin='@AWS_MFA@'
typeset -g _aws_mfa_shell=zsh
typeset -ga _aws_mfa_vars
_aws_mfa_vars=(@AWS_MFA_VARS@)

@AWS_MFA_WRAPPER@

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session to this
# shell, and a refresh also refreshes variables aws-mfa exported before.
# Output is captured whole before anything is applied, and nothing is
# applied when the binary fails.
function aws-mfa {
	_aws_mfa_wrapper "$@"
}

# _aws_mfa_hook runs before each prompt: it removes an expired session
# aws-mfa exported, warns once when ten minutes are left, and sets
# AWS_MFA_PROMPT for PROMPT or RPROMPT ("default 1h23m").
function _aws_mfa_hook {
	local secs now=${EPOCHSECONDS-} target left
	typeset -g AWS_MFA_PROMPT=
	# AWS_MFA_EXPIRY comes from the environment, and zsh arithmetic would
	# run a command substitution in it: only 1 to 18 plain digits (no
	# octal, no overflow) are used; anything else is not aws-mfa's.
	case ${AWS_MFA_EXPIRY-} in
	"" | 0* | *[!0-9]* | ???????????????????*) return 0 ;;
	esac
	# The name goes to the terminal: no control character (an escape
	# sequence from the environment) gets there, in any locale.
	target=${AWS_MFA_TARGET-}
	target=${target//[^[:print:]]/?}
	# zsh arithmetic would also run what a clock variable holds.
	case $now in
	"" | *[!0-9]*) now=$(date +%s) ;;
	esac
	(( secs = AWS_MFA_EXPIRY - now ))
	if (( secs <= 0 )); then
		print -ru2 -- "aws-mfa: the session for [${target}] expired and was removed from this shell; run aws-mfa env"
		unset $_aws_mfa_vars
		return 0
	fi
	# The time left as shells.Left says it: 1h05m, 9m, under a minute.
	if (( secs >= 3600 )); then
		printf -v left '%dh%02dm' $(( secs / 3600 )) $(( secs % 3600 / 60 ))
	elif (( secs >= 60 )); then
		left="$(( secs / 60 ))m"
	else
		left='under a minute'
	fi
	if (( secs < 600 )) && [[ "${_aws_mfa_warned-}" != "$AWS_MFA_EXPIRY" ]]; then
		typeset -g _aws_mfa_warned=$AWS_MFA_EXPIRY
		print -ru2 -- "aws-mfa: the session for [${target}] expires in $left"
	fi
	AWS_MFA_PROMPT="$target $left"
}

# aws_mfa_prompt prints what AWS_MFA_PROMPT holds.
function aws_mfa_prompt {
	print -rn -- "${AWS_MFA_PROMPT-}"
}

typeset -ga precmd_functions
(( ${precmd_functions[(I)_aws_mfa_hook]} )) || precmd_functions=(_aws_mfa_hook $precmd_functions)

@AWS_MFA_COMPLETION@
# Registered now if compinit has run, else at the first prompt after it
# has (the hook may come before compinit in .zshrc): _aws_mfa_compdef
# checks for compdef, a builtin test that starts no process, registers,
# and removes itself.
function _aws_mfa_compdef {
	(( ${+functions[compdef]} )) || return 0
	compdef _aws_mfa_complete aws-mfa
	precmd_functions=(${precmd_functions:#_aws_mfa_compdef})
}
if (( ${+functions[compdef]} )); then
	compdef _aws_mfa_complete aws-mfa
elif (( ! ${precmd_functions[(I)_aws_mfa_compdef]} )); then
	precmd_functions+=(_aws_mfa_compdef)
fi
