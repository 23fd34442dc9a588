# aws-mfa hook for nushell. Save it and source it from config.nu:
#   aws-mfa hook nu | save -f ~/.config/nushell/aws-mfa.nu
#   source ~/.config/nushell/aws-mfa.nu

# aws-mfa wraps the binary: `aws-mfa env ...` loads the session into this
# shell after capturing all of it, and only when the binary succeeded.
# The dialect goes right after the subcommand, before the user's arguments
# (a code must come last), and never into the environment.
def --env --wrapped aws-mfa [...args] {
  if ($args | length) > 0 and ($args | first) == 'env' {
    let out = (^'@AWS_MFA@' env --shell nu ...($args | skip 1) | complete)
    print -en $out.stderr
    if $out.exit_code != 0 {
      error make {msg: $"aws-mfa exited with status ($out.exit_code); nothing was applied"}
    }
    $out.stdout | from json | load-env
  } else if ($args | length) > 0 and ($args | first) == 'doctor' {
    # Only doctor is told, for this one call, that the hook is loaded.
    with-env {AWS_MFA_SHELL: 'nu'} { ^'@AWS_MFA@' ...$args }
  } else {
    ^'@AWS_MFA@' ...$args
  }
}
