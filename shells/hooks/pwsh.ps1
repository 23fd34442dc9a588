# aws-mfa hook for PowerShell. Load it from $PROFILE with:
#   aws-mfa hook pwsh | Out-String | Invoke-Expression

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session to this
# shell after capturing all of it, and only when the binary succeeded.
# The dialect goes right after the subcommand, never into the environment.
function aws-mfa {
    if ($args.Count -gt 0 -and $args[0] -eq 'env') {
        $rest = @($args | Select-Object -Skip 1)
        $out = & '@AWS_MFA@' env --shell pwsh @rest | Out-String
        if ($LASTEXITCODE -eq 0) { Invoke-Expression $out }
        return
    }
    if ($args.Count -gt 0 -and $args[0] -eq 'doctor') {
        # Only doctor is told, for this one call, that the hook is loaded.
        $Env:AWS_MFA_SHELL = 'pwsh'
        try { & '@AWS_MFA@' @args } finally { Remove-Item Env:AWS_MFA_SHELL -ErrorAction SilentlyContinue }
        return
    }
    & '@AWS_MFA@' @args
}
