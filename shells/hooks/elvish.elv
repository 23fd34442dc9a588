# aws-mfa hook for elvish. Load it from ~/.config/elvish/rc.elv with:
#   eval (aws-mfa hook elvish | slurp)
set-env AWS_MFA_SHELL elvish
var _aws_mfa_bin = '@AWS_MFA@'

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session, after
# capturing all of it; a failure raises an exception and applies nothing.
fn aws-mfa {|@args|
  if (and (> (count $args) 0) (eq $args[0] env)) {
    var out = ((external $_aws_mfa_bin) $@args | slurp)
    eval $out
  } else {
    (external $_aws_mfa_bin) $@args
  }
}

# Functions defined by eval stay in eval's namespace; hand it to the REPL.
try { edit:add-var aws-mfa~ $aws-mfa~ } catch { }
