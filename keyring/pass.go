package keyring

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/readfile"
)

// passBackend is pass(1), the standard Unix password manager: one
// gpg-encrypted file per item under PASSWORD_STORE_DIR (~/.password-store),
// decrypted by gpg-agent, which asks for the passphrase by its own
// pinentry. It needs no desktop, so it serves headless servers.
type passBackend struct {
	noPrompt bool // gpg fails instead of asking for the passphrase
}

func (b passBackend) get(ctx context.Context, item string) (string, error) {
	if err := b.status(ctx, item); err != nil {
		return "", err
	}
	out, err := b.run(ctx, nil, "show", where(item))
	return strings.TrimRight(out, "\n"), err
}

func (b passBackend) set(ctx context.Context, item, secret string) error {
	_, err := b.run(ctx, strings.NewReader(secret+"\n"), "insert", "--multiline", "--force", where(item))
	return err
}

func (b passBackend) remove(ctx context.Context, item string) error {
	if err := b.status(ctx, item); err != nil {
		return err
	}
	_, err := b.run(ctx, nil, "rm", "--force", where(item))
	return err
}

// status looks for the item's file, which needs no passphrase.
func (b passBackend) status(ctx context.Context, item string) error {
	if _, err := exec.LookPath("pass"); err != nil {
		return unavailable("pass is not installed (Debian: apt install pass)")
	}
	home, _ := os.UserHomeDir()
	dir := cmp.Or(os.Getenv("PASSWORD_STORE_DIR"), filepath.Join(home, ".password-store"))
	if _, err := os.Stat(filepath.Join(dir, ".gpg-id")); err != nil {
		return unavailable("no password store at %s; make one with pass init YOU@EXAMPLE.COM (the id of your gpg key; without one, make it first: gpg --quick-generate-key YOU@EXAMPLE.COM)", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, Service, item+".gpg")); err != nil {
		return ErrNotFound
	}
	return nil
}

// run runs pass without a shell. Its stderr is gpg's or pass's own
// message, never the secret; only its first line is kept.
func (b passBackend) run(ctx context.Context, stdin io.Reader, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "pass", args...)
	cmd.WaitDelay = time.Second
	if b.noPrompt {
		// pass hands these to gpg, which then fails where it would have
		// started pinentry.
		cmd.Env = append(os.Environ(), "PASSWORD_STORE_GPG_OPTS="+strings.TrimSpace(os.Getenv("PASSWORD_STORE_GPG_OPTS")+" --pinentry-mode=error"))
	}
	cmd.Stdin = stdin // nil: no input
	stdout, stderr := &readfile.Capped{Max: maxPassOutput}, &readfile.Capped{Max: maxPassOutput}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	if stdout.Over || stderr.Over {
		return "", fmt.Errorf("pass %s printed more than %d KiB, which no item aws-mfa wrote holds; name another item in the pair's keyring key", args[0], maxPassOutput>>10)
	}
	if err != nil {
		msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		if strings.Contains(stderr.String(), "decryption failed") || strings.Contains(stderr.String(), "No secret key") {
			return "", kindError{ErrLocked, fmt.Sprintf("gpg could not decrypt: %.160s", msg)}
		}
		return "", fmt.Errorf("pass %s: %v: %.160s", args[0], err, msg)
	}
	return stdout.String(), nil
}

// maxPassOutput bounds what pass may print: an item aws-mfa wrote is a
// line of JSON; a huge file under that name must not fill memory.
const maxPassOutput = 64 << 10
