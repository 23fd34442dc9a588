package exporter

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
)

// BenchmarkRefresh is a full forced refresh against the in-process
// emulator (read, check, STS, edit, verify, atomic write), beside the STS
// round trip alone with a ready client: the difference is aws-mfa's own
// overhead.
func BenchmarkRefresh(b *testing.B) {
	b.Run("round-trip", func(b *testing.B) {
		fx := setup(b, aliceFile)
		client := NewSTS(awscred.Session{Keys: awscred.Keys{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}}, "us-east-1", fx.sts.URL, fx.req.Timeout)
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

// manyProfiles is aliceFile with n more profiles of long-term keys.
func manyProfiles(n int) string {
	var b strings.Builder
	b.WriteString(aliceFile)
	for i := range n {
		fmt.Fprintf(&b, "\n[profile-%d]\naws_access_key_id = AKIAEXAMPLE%09d\naws_secret_access_key = secret/%d\nregion = eu-west-1 # comment\n", i, i, i)
	}
	return b.String()
}

// BenchmarkRefreshLargeFile is a whole forced refresh (read, STS, edit,
// verify, atomic write) of files of growing size. The target: a
// 10,000-profile file costs at most 20 ms more than a small one, and
// 100,000 profiles cost ten times what 10,000 do. cpu-ms/op is the CPU
// time the process spent (the emulator's share included), which a loaded
// machine inflates less than ns/op.
//
//	go test ./exporter -run '^$' -bench RefreshLargeFile -benchtime 20x -count 3
func BenchmarkRefreshLargeFile(b *testing.B) {
	for _, n := range []int{0, 10000, 100000} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			fx := setup(b, manyProfiles(n))
			fx.req.Force = true
			b.ResetTimer()
			cpu := cpuTime()
			for range b.N {
				if _, err := Obtain(context.Background(), fx.req, fx.deps); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
