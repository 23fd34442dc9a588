# aws-mfa hook for tcsh and csh. Load it from ~/.tcshrc with:
#   eval "`aws-mfa hook tcsh`"
# (csh: aws-mfa hook csh.) csh has no functions: aws-mfa is an alias that
# evaluates `aws-mfa env`'s output, which is empty when the binary fails,
# and runs anything else. The dialect goes to each env call as --shell,
# right after the subcommand, never to the environment; only doctor is
# told, for its one call, that the hook is loaded. The patterns end in a
# space so that env matches and envoy does not; csh wants it escaped.
set _aws_mfa_bin = '@AWS_MFA@';
alias aws-mfa 'if ("\!* " =~ env\ *) eval "`$_aws_mfa_bin:q env --shell @AWS_MFA_DIALECT@ \!:2*`"; if ("\!* " =~ doctor\ *) env AWS_MFA_SHELL=@AWS_MFA_DIALECT@ $_aws_mfa_bin:q \!*; if ("\!* " !~ env\ * && "\!* " !~ doctor\ *) $_aws_mfa_bin:q \!*';
