# Completion for aws-mfa in bash: part of the hook, and on its own the
# file a package installs (bash-completion loads it at the first Tab).
# Both define the same function, which runs the hook's binary, else the
# aws-mfa on PATH (command: never the hook's wrapper function).
# The binary answers from its own commands and flags
# (aws-mfa __complete WORD...; status 3 means "a path here", 4 "exec's
# command line, from the word printed"), so the lists
# cannot drift. Not compgen -W, which expands its word list ($(...)
# included) while pair names come from a file: each word is matched as a
# string and offered %q-quoted, so that what is inserted is that word.
# bash 3.2 does not split COMP_WORDS at COMP_WORDBREAKS (--shell=fi is
# one word) while readline still replaces only what follows the last
# break (fi): pre is the part before it, cut from each candidate. bash 4
# and later split the words, so pre is empty there.
_aws_mfa_complete() {
	local cur=${COMP_WORDS[COMP_CWORD]} out w q pre='' brk=${COMP_WORDBREAKS//[!=:@]/}
	COMPREPLY=()
	# bash 4 splits --shell= at the = and completes the = itself: the
	# value is the empty word after it, which readline inserts after the =.
	if [ "$cur" = = ]; then
		cur=''
		out=$(command "${_aws_mfa_bin:-aws-mfa}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" '' 2>/dev/null)
	else
		# shellcheck disable=SC2295 # [$brk] is meant as a pattern
		[ -z "$brk" ] || pre=${cur%"${cur##*[$brk]}"}
		out=$(command "${_aws_mfa_bin:-aws-mfa}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
	fi
	case $? in
	0) ;;
	3)
		# A path: bash 4 completes it itself; bash 3.2 has no compopt.
		compopt -o default 2>/dev/null && return 0
		while IFS= read -r w; do
			printf -v q '%q' "$w"
			COMPREPLY+=("$q")
		done <<<"$(compgen -f -- "$cur")"
		return 0
		;;
	4)
		# exec's command line, from word $out: bash-completion's
		# _command_offset completes it as a line of its own; without it, a
		# command name, then paths.
		case $out in "" | *[!0-9]*) return 0 ;; esac
		if declare -F _command_offset >/dev/null; then
			_command_offset "$out"
		elif ((COMP_CWORD == out)); then
			while IFS= read -r w; do
				[ -n "$w" ] || continue
				printf -v q '%q' "$w"
				COMPREPLY+=("$q")
			done <<<"$(compgen -c -- "$cur" | sort -u)"
		else
			compopt -o default 2>/dev/null
		fi
		return 0
		;;
	*) return 0 ;;
	esac
	while IFS= read -r w; do
		w=${w%%$'\t'*}
		[ -n "$w" ] || continue
		printf -v q '%q' "$w"
		case $w in "$cur"*) ;; *) case $q in "$cur"*) ;; *) continue ;; esac ;; esac
		printf -v q '%q' "${w#"$pre"}"
		COMPREPLY+=("$q")
	done <<<"$out"
}
complete -F _aws_mfa_complete aws-mfa
