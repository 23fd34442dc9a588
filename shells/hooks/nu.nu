# aws-mfa hook for nushell. Save it and source it from config.nu:
#   aws-mfa hook nu | save -f ~/.config/nushell/aws-mfa.nu
#   source ~/.config/nushell/aws-mfa.nu

# _aws_mfa_apply runs the binary with argv and loads what it printed into
# this shell, after capturing all of it, and only when it succeeded. A
# JSON string instead of a record is output that is not for this shell
# (env --format json): it is the value returned, for a pipeline.
def --env --wrapped _aws_mfa_apply [...argv] {
  let out = (^'@AWS_MFA@' ...$argv | complete)
  print -en $out.stderr
  if $out.exit_code != 0 {
    error make {msg: $"aws-mfa exited with status ($out.exit_code); nothing was applied"}
  }
  let v = ($out.stdout | from json)
  if ($v | describe) == 'string' { $v } else { $v | load-env }
}

# aws-mfa wraps the binary: `aws-mfa env ...` loads the session into this
# shell. An env line goes to __env, which puts --shell right after env,
# before the user's arguments (a code must come last), and prints nothing
# but that code on stdout (env --help goes to stderr); the dialect never
# goes into the environment. A line that starts with an option may still
# be env (aws-mfa -p work env): the binary names the subcommand
# (__command). After a refresh, __reexport re-applies the session of the
# target profile AWS_MFA_TARGET names.
def --env --wrapped aws-mfa [...args] {
  mut cmd = ($args | get 0? | default '')
  if ($cmd | str starts-with '-') {
    let w = (^'@AWS_MFA@' __command ...$args | complete | get stdout | str trim | split row ' ')
    $cmd = ($w | get 1? | default '')
  }
  if $cmd == 'env' {
    _aws_mfa_apply __env nu ...$args
  } else if $cmd == 'doctor' {
    # Only doctor is told, for this one call, that the hook is loaded.
    with-env {AWS_MFA_SHELL: 'nu'} { ^'@AWS_MFA@' ...$args }
  } else if $cmd == '' or ($cmd =~ '^[0-9]') {
    ^'@AWS_MFA@' ...$args
    let target = ($env.AWS_MFA_TARGET? | default '')
    if $target != '' {
      try { _aws_mfa_apply __reexport nu $target ...$args }
    }
  } else {
    ^'@AWS_MFA@' ...$args
  }
}
