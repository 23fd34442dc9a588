// Command sdkloop is the aws-sdk-go-v2 peer of the exec --renew test: it
// loads the default config, as a Go program run under aws-mfa does, and
// calls STS GetCallerIdentity N times; any failure exits 1.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	ctx := context.Background()
	// The SDK asks credential_process again when the session expires
	// (ExpiryWindow 0). A window longer than the emulator's sessions make
	// it ask before every call, so the test needs no wait.
	cfg, err := config.LoadDefaultConfig(ctx, config.WithCredentialsCacheOptions(func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = 20 * time.Minute
	}))
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdkloop:", err)
		os.Exit(1)
	}
	client := sts.NewFromConfig(cfg)
	for i := range n {
		if _, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			fmt.Fprintf(os.Stderr, "sdkloop: call %d: %v\n", i+1, err)
			os.Exit(1)
		}
	}
	fmt.Println("ok", n)
}
