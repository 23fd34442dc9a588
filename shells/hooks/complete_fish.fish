# Completion for aws-mfa in fish: part of the hook, and on its own the
# file a package installs (fish loads it at the first Tab). Both define
# the same function, which runs the hook's binary, else the aws-mfa on
# PATH (command: never the hook's wrapper function). The binary answers
# from its own commands and flags (aws-mfa __complete WORD...; status 3
# means "a path here", 4 "exec's command line, from the word printed"),
# one candidate a line with a tab before its
# description, as fish reads them.
function _aws_mfa_complete
    set -l bin aws-mfa
    set -q _aws_mfa_bin; and set bin $_aws_mfa_bin
    set -l words (commandline -opc) (commandline -ct)
    set -l out (command $bin __complete $words[2..-1] 2>/dev/null)
    switch $status
        case 0
            printf '%s\n' $out
        case 3
            __fish_complete_path (commandline -ct)
        case 4
            # exec's command line, from word $out after aws-mfa: completed
            # as a line of its own, a command name first.
            string match -qr '^[1-9][0-9]*$' -- "$out"; or return
            set -l typed
            set -l start (math $out + 1)
            if test $start -lt (count $words)
                set typed (string escape -- $words[$start..-2])
            end
            complete -C (string join ' ' -- $typed (commandline -ct))
    end
end
complete -c aws-mfa -e
complete -c aws-mfa -f -a '(_aws_mfa_complete)'
