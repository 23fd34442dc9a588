# aws-mfa hook for nushell. Save it and source it from config.nu:
#   aws-mfa hook nu | save -f ~/.config/nushell/aws-mfa.nu
#   source ~/.config/nushell/aws-mfa.nu

# _aws_mfa_apply runs the binary with argv and loads what it printed into
# this shell, after capturing all of it, and only when it succeeded.
def --env --wrapped _aws_mfa_apply [...argv] {
  let out = (^'@AWS_MFA@' ...$argv | complete)
  print -en $out.stderr
  if $out.exit_code != 0 {
    error make {msg: $"aws-mfa exited with status ($out.exit_code); nothing was applied"}
  }
  $out.stdout | from json | load-env
}

# aws-mfa wraps the binary: `aws-mfa env ...` loads the session into this
# shell. The dialect goes right after the subcommand, before the user's
# arguments (a code must come last), and never into the environment. A
# line that starts with an option may still be env (aws-mfa -p work env):
# the binary names the subcommand (__command) and runs it with --shell
# placed after env (__env).
def --env --wrapped aws-mfa [...args] {
  mut cmd = ($args | get 0? | default '')
  if ($cmd | str starts-with '-') {
    let w = (^'@AWS_MFA@' __command ...$args | complete | get stdout | str trim | split row ' ')
    $cmd = ($w | get 1? | default '')
    if $cmd == 'env' {
      _aws_mfa_apply __env nu ...$args
      return
    }
  } else if $cmd == 'env' {
    _aws_mfa_apply env --shell nu ...($args | skip 1)
    return
  }
  if $cmd == 'doctor' {
    # Only doctor is told, for this one call, that the hook is loaded.
    with-env {AWS_MFA_SHELL: 'nu'} { ^'@AWS_MFA@' ...$args }
  } else {
    ^'@AWS_MFA@' ...$args
  }
}
