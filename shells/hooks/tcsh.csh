# aws-mfa hook for tcsh and csh. Load it from ~/.tcshrc with:
#   eval "`aws-mfa hook tcsh`"
# csh has no functions: aws-mfa is an alias that evaluates `aws-mfa env`'s
# output, which is empty when the binary fails, and runs anything else.
setenv AWS_MFA_SHELL tcsh;
set _aws_mfa_bin = '@AWS_MFA@';
alias aws-mfa 'if ("\!*" =~ env*) eval "`$_aws_mfa_bin:q \!*`"; if ("\!*" !~ env*) $_aws_mfa_bin:q \!*';
