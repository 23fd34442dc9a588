# aws-mfa hook for tcsh and csh. Load it from ~/.tcshrc with:
#   eval "`aws-mfa hook tcsh`"
# (csh: aws-mfa hook csh.) csh has no functions: aws-mfa is an alias that
# evaluates what `aws-mfa __env` prints for an env line, and runs anything
# else. __env puts the dialect after env as --shell (never into the
# environment), and its stdout carries only that code: nothing when it
# fails (backquotes hide the status), and env --help goes to stderr. Only
# doctor is told, for its one call, that the hook is loaded. A line that
# starts with an option may still be env (aws-mfa -p work env): the
# binary names the subcommand (__command). The
# patterns end in a space so that env matches and envoy does not; csh
# wants it escaped. _aws_mfa_how holds only the subcommand's name.
set _aws_mfa_bin = '@AWS_MFA@';
alias aws-mfa 'set _aws_mfa_how = run; if ("\!* " =~ env\ *) set _aws_mfa_how = env; if ("\!* " =~ doctor\ *) set _aws_mfa_how = doctor; if ("\!* " =~ -*) set _aws_mfa_how = "`$_aws_mfa_bin:q __command \!*`"; if ("$_aws_mfa_how" == env) eval "`$_aws_mfa_bin:q __env @AWS_MFA_DIALECT@ \!*`"; if ("$_aws_mfa_how" =~ *\ env) eval "`$_aws_mfa_bin:q __env @AWS_MFA_DIALECT@ \!*`"; if ("$_aws_mfa_how" == doctor || "$_aws_mfa_how" =~ *\ doctor) env AWS_MFA_SHELL=@AWS_MFA_DIALECT@ $_aws_mfa_bin:q \!*; if ("$_aws_mfa_how" != env && "$_aws_mfa_how" !~ *\ env && "$_aws_mfa_how" != doctor && "$_aws_mfa_how" !~ *\ doctor) $_aws_mfa_bin:q \!*; unset _aws_mfa_how';
