# aws-mfa hook for PowerShell. Load it from $PROFILE with:
#   aws-mfa hook pwsh | Out-String | Invoke-Expression
# (Never run in PowerShell by the tests: no interpreter on the test machines.)

# aws-mfa wraps the binary: `aws-mfa env ...` applies the session to this
# shell after capturing all of it, and only when the binary succeeded.
# The dialect goes right after the subcommand, never into the environment.
# A line that starts with an option may still be env (aws-mfa -p work
# env): the binary names the subcommand (__command) and runs it with
# --shell placed after env (__env).
function aws-mfa {
    $cmd = ''
    if ($args.Count -gt 0) { $cmd = [string]$args[0] }
    $argv = $null
    if ($cmd.StartsWith('-')) {
        $w = @((& '@AWS_MFA@' __command @args 2>$null | Out-String).Trim().Split(' '))
        $cmd = ''
        if ($w.Count -eq 2) { $cmd = $w[1] }
        if ($cmd -eq 'env') { $argv = @('__env', 'pwsh') + $args }
    } elseif ($cmd -eq 'env') {
        $argv = @('env', '--shell', 'pwsh') + @($args | Select-Object -Skip 1)
    }
    if ($null -ne $argv) {
        $out = & '@AWS_MFA@' @argv | Out-String
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
}
