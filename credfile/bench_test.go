package credfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func manyProfiles(n int) []byte {
	var b strings.Builder
	b.WriteString("# many profiles\n")
	for i := range n {
		fmt.Fprintf(&b, "[profile-%d]\naws_access_key_id = AKIAEXAMPLE%09d\naws_secret_access_key = secret/%d\nregion = eu-west-1 # comment\n\n", i, i, i)
	}
	b.WriteString("[default]\naws_access_key_id = ASIAOLD\naws_session_token = old\n")
	return []byte(b.String())
}

// BenchmarkRewrite is a refresh's whole file work on files of growing
// size: read, parse, edit, verify, write atomically under the lock.
func BenchmarkRewrite(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "credentials")
			data := manyProfiles(n)
			os.WriteFile(path, data, 0o600)
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for range b.N {
				if err := editINI(Writer{}, path, setSession); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEdit is the in-memory part alone: parse, edit, verify.
func BenchmarkEdit(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			data := manyProfiles(n)
			b.SetBytes(int64(len(data)))
			for range b.N {
				f, err := Parse(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := setSession(f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func wideSection(n int) []byte {
	var b strings.Builder
	b.WriteString("[default]\naws_access_key_id = ASIAOLD\naws_session_token = old\n[wide]\n")
	for i := range n {
		fmt.Fprintf(&b, "key_%d = value %d\n", i, i)
	}
	return []byte(b.String())
}

// BenchmarkWideSection parses and edits a file with one section of n
// keys; its time per key must stay flat as n grows (the duplicate-key
// check and the verification look keys up by index, not by scanning).
func BenchmarkWideSection(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			data := wideSection(n)
			b.SetBytes(int64(len(data)))
			for range b.N {
				f, err := Parse(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := setSession(f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
