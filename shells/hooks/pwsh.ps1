# aws-mfa hook for PowerShell. Load it from $PROFILE with:
#   aws-mfa hook pwsh | Out-String | Invoke-Expression
# (Never run in PowerShell by the tests: no interpreter on the test machines.)

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session to this
# shell after capturing all of it, and only when the binary succeeded.
# An env line goes to __env, which puts --shell right after env and prints
# nothing but that code on stdout (env --help goes to stderr); the dialect
# never goes into the environment. A line that starts with an option may
# still be env (aws-mfa -p work env): the binary names the subcommand
# (__command). After a refresh, __reexport re-applies the session of the
# target profile AWS_MFA_TARGET names.
function aws-mfa {
    $cmd = ''
    if ($args.Count -gt 0) { $cmd = [string]$args[0] }
    if ($cmd.StartsWith('-')) {
        $w = @((& '@AWS_MFA@' __command @args 2>$null | Out-String).Trim().Split(' '))
        $cmd = ''
        if ($w.Count -eq 2) { $cmd = $w[1] }
    }
    if ($cmd -eq 'env') {
        $out = & '@AWS_MFA@' __env pwsh @args | Out-String
        if ($LASTEXITCODE -eq 0) { Invoke-Expression $out }
        return
    }
    if ($cmd -eq 'doctor') {
        # Only doctor is told, for this one call, that the hook is loaded.
        $Env:AWS_MFA_SHELL = 'pwsh'
        try { & '@AWS_MFA@' @args } finally { Remove-Item Env:AWS_MFA_SHELL -ErrorAction SilentlyContinue }
        return
    }
    & '@AWS_MFA@' @args
    if ($LASTEXITCODE -eq 0 -and ($cmd -eq '' -or $cmd -match '^[0-9]') -and $Env:AWS_MFA_TARGET) {
        $out = $null | & '@AWS_MFA@' __reexport pwsh $Env:AWS_MFA_TARGET @args | Out-String
        if ($LASTEXITCODE -eq 0) { Invoke-Expression $out }
    }
}
