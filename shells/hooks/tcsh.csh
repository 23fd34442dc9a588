# aws-mfa hook for tcsh and csh. Load it from ~/.tcshrc with:
#   eval "`aws-mfa hook tcsh`"
# (csh: aws-mfa hook csh.) csh has no functions: aws-mfa is an alias that
# evaluates `aws-mfa env`'s output, which is empty when the binary fails,
# and runs anything else. The dialect goes to each env call as --shell,
# right after env, never to the environment; only doctor is told, for its
# one call, that the hook is loaded. A line that starts with an option
# may still be env (aws-mfa -p work env): the binary names the subcommand
# (__command) and runs it with --shell placed after env (__env). The
# patterns end in a space so that env matches and envoy does not; csh
# wants it escaped. _aws_mfa_how holds only the subcommand's name.
set _aws_mfa_bin = '@AWS_MFA@';
alias aws-mfa 'set _aws_mfa_how = run; if ("\!* " =~ env\ *) set _aws_mfa_how = env; if ("\!* " =~ doctor\ *) set _aws_mfa_how = doctor; if ("\!* " =~ -*) set _aws_mfa_how = "`$_aws_mfa_bin:q __command \!*`"; if ("$_aws_mfa_how" == env) eval "`$_aws_mfa_bin:q env --shell @AWS_MFA_DIALECT@ \!:2*`"; if ("$_aws_mfa_how" =~ *\ env) eval "`$_aws_mfa_bin:q __env @AWS_MFA_DIALECT@ \!*`"; if ("$_aws_mfa_how" == doctor || "$_aws_mfa_how" =~ *\ doctor) env AWS_MFA_SHELL=@AWS_MFA_DIALECT@ $_aws_mfa_bin:q \!*; if ("$_aws_mfa_how" != env && "$_aws_mfa_how" !~ *\ env && "$_aws_mfa_how" != doctor && "$_aws_mfa_how" !~ *\ doctor) $_aws_mfa_bin:q \!*; unset _aws_mfa_how';
