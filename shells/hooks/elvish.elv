# aws-mfa hook for elvish. Load it from ~/.config/elvish/rc.elv with:
#   eval (aws-mfa hook elvish | slurp)
var _aws_mfa_bin = '@AWS_MFA@'

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session, after
# capturing all of it; a failure raises an exception and applies nothing.
# The dialect goes to each call as --shell, never to the environment, so a
# child process still detects its own shell.
fn aws-mfa {|@args|
  if (and (> (count $args) 0) (eq $args[0] env)) {
    var out = ((external $_aws_mfa_bin) env --shell elvish (all $args[1..]) | slurp)
    eval $out
  } elif (and (> (count $args) 0) (eq $args[0] doctor)) {
    # Only doctor is told, for this one call, that the hook is loaded.
    tmp E:AWS_MFA_SHELL = elvish
    (external $_aws_mfa_bin) $@args
  } else {
    (external $_aws_mfa_bin) $@args
  }
}

# Functions defined by eval stay in eval's namespace; hand it to the REPL.
try { edit:add-var aws-mfa~ $aws-mfa~ } catch { }
