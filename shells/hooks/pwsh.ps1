# aws-mfa hook for PowerShell. Load it from $PROFILE with:
#   aws-mfa hook pwsh | Out-String | Invoke-Expression
$Env:AWS_MFA_SHELL = 'pwsh'

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session to this
# shell after capturing all of it, and only when the binary succeeded.
function aws-mfa {
    if ($args.Count -gt 0 -and $args[0] -eq 'env') {
        $out = & '@AWS_MFA@' @args | Out-String
        if ($LASTEXITCODE -eq 0) { Invoke-Expression $out }
        return
    }
    & '@AWS_MFA@' @args
}
