package exporter

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
)

// BenchmarkChainedRefresh is a chained pair renewed with its base (read,
// code, GetSessionToken, AssumeRole with the new session, both targets
// edited and written atomically under the lock), beside its two STS round
// trips alone with ready clients: the difference is aws-mfa's own cost.
func BenchmarkChainedRefresh(b *testing.B) {
	role := &sts.AssumeRoleInput{RoleArn: aws.String(prodRole), RoleSessionName: aws.String("b"), DurationSeconds: aws.Int32(3600)}
	b.Run("two-round-trips", func(b *testing.B) {
		fx := setup(b, aliceFile)
		client := NewSTS(awscred.Session{Keys: awscred.Keys{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}}, "us-east-1", fx.sts.URL, fx.req.Timeout)
		in := &sts.GetSessionTokenInput{SerialNumber: aws.String(alice.Serial), TokenCode: aws.String(alice.Code), DurationSeconds: aws.Int32(43200)}
		b.ResetTimer()
		for range b.N {
			out, err := client.GetSessionToken(context.Background(), in)
			if err != nil {
				b.Fatal(err)
			}
			s, _ := sessionFrom(out.Credentials)
			if _, err := NewSTS(s, "us-east-1", fx.sts.URL, fx.req.Timeout).AssumeRole(context.Background(), role); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("chained-refresh", func(b *testing.B) {
		noBase := strings.Split(aliceFile, "[default]")[0]
		fx := setup(b, noBase)
		fx.deps.Now = time.Now
		prod := chained(fx, &fx.req, "prod")
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			if err := os.WriteFile(fx.path, []byte(noBase), 0o600); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := Obtain(context.Background(), prod, fx.deps); err != nil {
				b.Fatal(err)
			}
		}
		if fx.sts.Requests() != 2*b.N {
			b.Fatalf("%d requests for %d refreshes", fx.sts.Requests(), b.N)
		}
	})
	// The same without writing: what the durable write costs is the
	// difference from chained-refresh.
	b.Run("chained-no-write", func(b *testing.B) {
		fx := setup(b, strings.Split(aliceFile, "[default]")[0])
		fx.deps.Now = time.Now
		base := fx.req
		base.Write = false
		prod := chained(fx, &base, "prod")
		prod.Write = false
		b.ResetTimer()
		for range b.N {
			if _, err := Obtain(context.Background(), prod, fx.deps); err != nil {
				b.Fatal(err)
			}
		}
	})
}
