# Completion for aws-mfa in zsh: part of the hook, and the body of the
# _aws-mfa a package installs in zsh's fpath. Both define the same
# function, which runs the hook's binary, else the aws-mfa on PATH
# (command: never the hook's wrapper function). The binary answers from
# its own commands and flags (aws-mfa __complete WORD...; status 3 means
# "a path here", 4 "exec's command line, from the word printed"), with
# descriptions. compadd quotes what it inserts.
function _aws_mfa_complete {
	local out line
	local -a cands descs
	out=$(command "${_aws_mfa_bin:-aws-mfa}" __complete "${(@Q)words[2,CURRENT]}" 2>/dev/null)
	case $? in
	0) ;;
	3) _files; return ;;
	4)
		# exec's command line, from word $out after aws-mfa: completed as
		# a line of its own, a command name first (as for sudo).
		[[ $out == <1-> ]] || return 1
		shift $out words
		(( CURRENT -= out ))
		_normal
		return
		;;
	*) return 1 ;;
	esac
	for line in "${(@f)out}"; do
		[[ -n $line ]] || continue
		cands+=("${line%%$'\t'*}")
		if [[ $line == *$'\t'* ]]; then
			descs+=("${line%%$'\t'*} -- ${line#*$'\t'}")
		else
			descs+=("$line")
		fi
	done
	(( ${#cands} )) && compadd -l -d descs -a cands
}
