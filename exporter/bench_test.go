package exporter

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// BenchmarkRefresh is a full forced refresh against the in-process
// emulator (read, check, STS, edit, verify, atomic write), beside the STS
// round trip alone with a ready client: the difference is aws-mfa's own
// overhead.
func BenchmarkRefresh(b *testing.B) {
	b.Run("round-trip", func(b *testing.B) {
		fx := setup(b, aliceFile)
		client := NewSTS(Keys{alice.AccessKeyID, alice.SecretAccessKey}, "us-east-1", fx.sts.URL, fx.req.Timeout)
		in := &sts.GetSessionTokenInput{SerialNumber: aws.String(alice.Serial), TokenCode: aws.String(alice.Code), DurationSeconds: aws.Int32(43200)}
		b.ResetTimer()
		for range b.N {
			if _, err := client.GetSessionToken(context.Background(), in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("refresh", func(b *testing.B) {
		fx := setup(b, aliceFile)
		fx.req.Force = true
		b.ResetTimer()
		for range b.N {
			if _, err := Obtain(context.Background(), fx.req, fx.deps); err != nil {
				b.Fatal(err)
			}
		}
		if fx.sts.Requests() != b.N {
			b.Fatalf("%d requests for %d refreshes", fx.sts.Requests(), b.N)
		}
	})
}
