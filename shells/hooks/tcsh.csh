# aws-mfa hook for tcsh and csh. Load it from ~/.tcshrc with:
#   eval "`aws-mfa hook tcsh`"
# (csh: aws-mfa hook csh.) csh has no functions: aws-mfa is an alias that
# evaluates what `aws-mfa __env` prints for an env line, and runs anything
# else. __env puts the dialect after env as --shell (never into the
# environment), and its stdout carries only that code: nothing when it
# fails (backquotes hide the status), and env --help goes to stderr. Only
# doctor is told, for its one call, that the hook is loaded. A line that
# starts with an option may still be env (aws-mfa -p work env): the
# binary names the subcommand (__command).
#
# The user's words are parsed once, as typed, into _aws_mfa_args, and
# reach the binary only as $_aws_mfa_args:q, which substitutes nothing in
# them: the alias's \!* never stands inside double quotes, where csh would
# run the backquotes and variables of a single-quoted argument. Inside
# "`...`" csh substitutes variables, then parses the result again, so the
# commands in backquotes are the text of the variables set here: the
# first pass yields that text, the second expands it with :q. csh drops
# an empty word from $_aws_mfa_args:q, so a line holding one is refused,
# not run with its words shifted. _aws_mfa_first is the first word (as
# :q, so that no word is an operator), then "": one more word than the
# line unless one was dropped. _aws_mfa_how holds only the subcommand's
# name. echo and verbose, which would print the session, are unset while
# it is evaluated, then set again (_aws_mfa_trace).
set _aws_mfa_bin = '@AWS_MFA@';
set _aws_mfa_command = '$_aws_mfa_bin:q __command $_aws_mfa_args:q';
set _aws_mfa_env = '$_aws_mfa_bin:q __env @AWS_MFA_DIALECT@ $_aws_mfa_args:q';
alias aws-mfa 'set _aws_mfa_args = (\!*); set _aws_mfa_first = ($_aws_mfa_args:q ""); set _aws_mfa_how = run; if ($#_aws_mfa_first != $#_aws_mfa_args + 1) set _aws_mfa_how = empty; if ("$_aws_mfa_how" == empty) set _aws_mfa_first = (""); if ("$_aws_mfa_how" == empty) echo "aws-mfa: @AWS_MFA_DIALECT@ drops an empty argument from an alias, so nothing was run; to pass one, run the binary by its path" >& /dev/stderr; if ($_aws_mfa_first[1]:q == env) set _aws_mfa_how = env; if ($_aws_mfa_first[1]:q == doctor) set _aws_mfa_how = doctor; if ($_aws_mfa_first[1]:q =~ -*) set _aws_mfa_how = "`$_aws_mfa_command`"; set _aws_mfa_trace = ($?echo $?verbose); unset echo verbose; if ("$_aws_mfa_how" == env || "$_aws_mfa_how" =~ *\ env) eval "`$_aws_mfa_env`"; if ($_aws_mfa_trace[1]) set echo; if ($_aws_mfa_trace[2]) set verbose; if ("$_aws_mfa_how" == doctor || "$_aws_mfa_how" =~ *\ doctor) env AWS_MFA_SHELL=@AWS_MFA_DIALECT@ $_aws_mfa_bin:q $_aws_mfa_args:q; if ("$_aws_mfa_how" != empty && "$_aws_mfa_how" != env && "$_aws_mfa_how" !~ *\ env && "$_aws_mfa_how" != doctor && "$_aws_mfa_how" !~ *\ doctor) $_aws_mfa_bin:q $_aws_mfa_args:q; unset _aws_mfa_how _aws_mfa_args _aws_mfa_first _aws_mfa_trace';
