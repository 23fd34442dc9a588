# aws-mfa hook for nushell. Save it and source it from config.nu:
#   aws-mfa hook nu | save -f ~/.config/nushell/aws-mfa.nu
#   source ~/.config/nushell/aws-mfa.nu
$env.AWS_MFA_SHELL = 'nu'

# aws-mfa wraps the binary: `aws-mfa env ...` loads the session into this
# shell after capturing all of it, and only when the binary succeeded.
def --env --wrapped aws-mfa [...args] {
  if ($args | length) > 0 and ($args | first) == 'env' {
    let out = (^'@AWS_MFA@' ...$args --shell nu | complete)
    if $out.exit_code != 0 {
      print -e $out.stderr
      error make {msg: 'aws-mfa failed'}
    }
    print -en $out.stderr
    $out.stdout | from json | load-env
  } else {
    ^'@AWS_MFA@' ...$args
  }
}
