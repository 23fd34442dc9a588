// Package e2e holds the end-to-end tests: the built aws-mfa against the STS
// emulator, moto, botocore, the AWS CLI, real keyrings and real shells; the
// testscript scenarios in the repository's testdata/script; the README's
// command lines; and the start-up and hook benchmarks. Each package's own
// unit tests sit beside it.
package e2e

// moduleRoot is the repository root, seen from this package's directory,
// where go test runs its tests.
const moduleRoot = "../../.."
