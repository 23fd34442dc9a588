# aws-mfa hook for elvish. Load it from ~/.config/elvish/rc.elv with:
#   eval (aws-mfa hook elvish | slurp)
use re
use str
var _aws_mfa_bin = '@AWS_MFA@'

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session, after
# capturing all of it; a failure raises an exception and applies nothing.
# The dialect goes to each call as --shell, never to the environment, so a
# child process still detects its own shell. An env line goes to __env,
# which puts --shell after env and prints nothing but that code on stdout
# (env --help goes to stderr). A line that starts with an option may
# still be env (aws-mfa -p work env): the binary names the subcommand
# (__command). After a refresh, __reexport re-applies the session of the
# target profile AWS_MFA_TARGET names.
fn aws-mfa {|@args|
  var cmd = ''
  if (> (count $args) 0) {
    set cmd = $args[0]
  }
  if (str:has-prefix $cmd -) {
    var w = [(str:split ' ' (str:trim-space ((external $_aws_mfa_bin) __command $@args 2>/dev/null | slurp)))]
    set cmd = ''
    if (== (count $w) 2) {
      set cmd = $w[1]
    }
  }
  if (eq $cmd env) {
    var out = ((external $_aws_mfa_bin) __env elvish $@args | slurp)
    eval $out
  } elif (eq $cmd doctor) {
    # Only doctor is told, for this one call, that the hook is loaded.
    tmp E:AWS_MFA_SHELL = elvish
    (external $_aws_mfa_bin) $@args
  } elif (or (eq $cmd '') (re:match '^[0-9]' $cmd)) {
    (external $_aws_mfa_bin) $@args
    if (and (has-env AWS_MFA_TARGET) (!=s $E:AWS_MFA_TARGET '')) {
      try {
        var out = ((external $_aws_mfa_bin) __reexport elvish $E:AWS_MFA_TARGET $@args </dev/null | slurp)
        eval $out
      } catch { }
    }
  } else {
    (external $_aws_mfa_bin) $@args
  }
}

# Functions defined by eval stay in eval's namespace; hand it to the REPL.
try { edit:add-var aws-mfa~ $aws-mfa~ } catch { }
