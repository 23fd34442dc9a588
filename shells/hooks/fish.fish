# aws-mfa hook for fish. Load it from ~/.config/fish/config.fish with:
#   aws-mfa hook fish | source
# It is safe to load twice.

set -g _aws_mfa_bin '@AWS_MFA@'
set -g _aws_mfa_vars @AWS_MFA_VARS@

# _aws_mfa_apply runs the binary with $argv and applies what it printed,
# only if it exited 0. The captured output (it holds the secret key) is
# local to this function, and so is an empty fish_trace, which would print
# it.
function _aws_mfa_apply
    set -l fish_trace
    set -l out ($_aws_mfa_bin $argv | string collect)
    set -l st $pipestatus[1]
    test $st -eq 0; or return $st
    printf '%s\n' $out | source
end

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session to this
# shell, and a refresh also refreshes variables aws-mfa exported before.
# Output is captured whole before anything is applied, and nothing is
# applied when the binary fails. The dialect goes to each call as --shell,
# never exported, so a child process still detects its own shell. An env
# line goes to __env, which puts --shell after env and prints nothing but
# that code on stdout (env --help goes to stderr). A line that starts
# with an option may still be env (aws-mfa -p work env): the binary names
# the subcommand (__command). After a refresh, __reexport re-applies the
# session of the target profile AWS_MFA_TARGET names.
function aws-mfa --description 'aws-mfa, applying sessions to this shell'
    set -l cmd "$argv[1]"
    if string match -q -- '-*' "$cmd"
        set cmd (string replace -r '^[0-9]+ ' '' -- ($_aws_mfa_bin __command $argv 2>/dev/null))
    end
    if test "$cmd" = env
        _aws_mfa_apply __env fish $argv
    else if test "$cmd" = doctor
        # Only doctor is told, for this one call, that the hook is loaded.
        AWS_MFA_SHELL=fish $_aws_mfa_bin $argv
    else if test -z "$cmd"; or string match -qr '^[0-9]' -- "$cmd"
        $_aws_mfa_bin $argv; or return $status
        if set -q AWS_MFA_TARGET; and test -n "$AWS_MFA_TARGET"
            _aws_mfa_apply __reexport fish "$AWS_MFA_TARGET" $argv </dev/null
        end
        return 0
    else
        $_aws_mfa_bin $argv
    end
end

# Before each prompt: remove an expired session aws-mfa exported, warn
# once when ten minutes are left, and set AWS_MFA_PROMPT for
# fish_right_prompt ("default 1h23m"). fish has no clock builtin, so this
# runs date(1) while aws-mfa variables are set.
function _aws_mfa_hook --on-event fish_prompt
    set -g AWS_MFA_PROMPT ''
    # AWS_MFA_EXPIRY comes from the environment: only one value of 1 to
    # 18 plain digits is used; anything else is not aws-mfa's.
    test (count $AWS_MFA_EXPIRY) -eq 1; or return
    string match -qr '^[1-9][0-9]{0,17}$' -- $AWS_MFA_EXPIRY; or return
    set -l secs (math $AWS_MFA_EXPIRY - (date +%s))
    # The name goes to the terminal: no control character (an escape
    # sequence from the environment) gets there.
    set -l target (string replace -ra '[\x00-\x1f\x7f-\x9f]' '?' -- "$AWS_MFA_TARGET")
    if test $secs -le 0
        echo "aws-mfa: the session for [$target] expired and was removed from this shell; run aws-mfa env" >&2
        set -e $_aws_mfa_vars
        return
    end
    # The time left as shells.Left says it: 1h05m, 9m, under a minute.
    set -l left 'under a minute'
    if test $secs -ge 3600
        set left (printf '%dh%02dm' (math --scale=0 $secs / 3600) (math --scale=0 $secs % 3600 / 60))
    else if test $secs -ge 60
        set left (math --scale=0 $secs / 60)m
    end
    if test $secs -lt 600; and test "$_aws_mfa_warned" != "$AWS_MFA_EXPIRY"
        set -g _aws_mfa_warned $AWS_MFA_EXPIRY
        echo "aws-mfa: the session for [$target] expires in $left" >&2
    end
    set -g AWS_MFA_PROMPT "$target $left"
end

# aws_mfa_prompt prints what AWS_MFA_PROMPT holds, for fish_right_prompt.
function aws_mfa_prompt
    printf '%s' $AWS_MFA_PROMPT
end

@AWS_MFA_COMPLETION@
