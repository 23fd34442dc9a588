package exporter

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/credgen"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// TestRefreshAsBotocoreSeesIt runs real refreshes (Obtain against the STS
// emulator) over generated credentials files: [DEFAULT] sections, key
// case, ":" separators, empty and blank values, continuation lines, CRLF,
// comments, aws_security_token, quotes. After each, botocore decides:
// either the refresh wrote the file, botocore's view of every profile but
// the target is unchanged and its resolver returns exactly the new
// session for the target; or it reused a session botocore also reads
// there, with the file untouched; or it failed with the file byte for byte
// as it was.
func TestRefreshAsBotocoreSeesIt(t *testing.T) {
	t.Parallel() // its own files and emulators; botocore answers under a lock
	b := peers.StartBotocore(t)
	r := rand.New(rand.NewPCG(9, 9))
	const n = 400
	var written, cached, failed int
	// botocore reads every file once all the refreshes are done, in one
	// round trip: each kept refresh is a check below.
	type refresh struct {
		content, after string
		res            *Result
		view           int // its first view in views
	}
	var reused, wrote []refresh
	var qs []peers.BotocoreQuery
	for i := range n {
		content := string(credgen.File(r, credgen.Options{
			Target: "default", Source: "aws-mfa", Default: true,
			Keys: [3]string{alice.AccessKeyID, alice.SecretAccessKey, alice.Serial},
		}))
		fx := setup(t, content)
		fx.req.Force = r.IntN(3) == 0
		res, err := Obtain(context.Background(), fx.req, fx.deps)
		if err == nil && i%3 == 0 {
			// A second run finds the session the first one wrote.
			content = fx.file(t)
			fx.req.Force = false
			res, err = Obtain(context.Background(), fx.req, fx.deps)
			if err != nil || !res.Cached {
				t.Fatalf("the session just written is not reused (%v) in\n%q", err, content)
			}
		}
		if err != nil && testing.Verbose() {
			t.Logf("refused: %v", err)
		}
		after := fx.file(t)
		switch {
		case err != nil:
			failed++
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			if after != content {
				t.Fatalf("failed (%v) but changed the file:\n%q\n->\n%q", err, content, after)
			}
		case res.Cached:
			cached++
			reused = append(reused, refresh{content, after, res, len(qs)})
			qs = append(qs, peers.BotocoreQuery{Data: []byte(after), Target: "default"})
		default:
			written++
			wrote = append(wrote, refresh{content, after, res, len(qs)})
			qs = append(qs, peers.BotocoreQuery{Data: []byte(content)}, peers.BotocoreQuery{Data: []byte(after), Target: "default"})
		}
	}
	views := b.ReadAll(t, qs)
	for _, c := range reused {
		v, res := views[c.view], c.res
		if c.after != c.content || v.Target == nil || v.Target.Key != res.AccessKeyID || v.Target.Secret != res.SecretAccessKey || v.Target.Token != res.SessionToken {
			t.Fatalf("reused a session botocore reads as %+v (%s):\n%q", v.Target, v.TargetError, c.content)
		}
	}
	for _, c := range wrote {
		before, v, res := views[c.view], views[c.view+1], c.res
		if before.Error != "" {
			t.Fatalf("wrote a file botocore cannot read (%s):\n%q", before.Error, c.content)
		}
		if v.Target == nil || v.Target.Key != res.AccessKeyID || v.Target.Secret != res.SecretAccessKey || v.Target.Token != res.SessionToken {
			t.Fatalf("botocore reads %+v (%s) for [default], not the new session, in\n%q\nfrom\n%q", v.Target, v.TargetError, c.after, c.content)
		}
		for name, keys := range before.Sections {
			if name != "default" && !reflect.DeepEqual(keys, v.Sections[name]) {
				t.Fatalf("[%s] changed: %v -> %v in\n%q\nfrom\n%q", name, keys, v.Sections[name], c.after, c.content)
			}
		}
		if len(v.Sections) != len(before.Sections)+boolInt(before.Sections["default"] == nil) {
			t.Fatalf("profiles added or lost:\n%q\nfrom\n%q", c.after, c.content)
		}
	}
	t.Logf("%d written, %d reused, %d refused of %d", written, cached, failed, n)
	if written < n/5 || failed < n/20 {
		t.Fatalf("too few cases of a kind: %d written, %d refused", written, failed)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
