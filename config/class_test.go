package config

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// TestErrorsCarryTheirClass: a broken or missing config is an input error
// (exit 2) as Load returns it; the caller adds nothing.
func TestErrorsCarryTheirClass(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"toml":     "[pair.a\n",
		"duration": "[defaults]\nduration = \"99h\"\n",
		"serial":   "[pair.a]\nsource = \"s\"\ntarget = \"t\"\nmfa_serial = \"x\"\n",
		"unknown":  "[pair.a]\nsource = \"s\"\ntarget = \"t\"\nnope = 1\n",
	} {
		if _, err := Parse("c.toml", []byte(data)); err == nil || !errors.Is(err, ErrInvalid) || !errors.Is(err, inputerr.Err) {
			t.Errorf("%s: %v is not ErrInvalid and an input error", name, err)
		}
	}
	_, err := Load(Location{Path: filepath.Join(dir, "none.toml"), By: "--config"})
	if !errors.Is(err, ErrMissing) || !errors.Is(err, inputerr.Err) {
		t.Errorf("a named config that is missing: %v", err)
	}
	if _, err := Load(Location{Path: dir, By: "--config"}); !errors.Is(err, inputerr.Err) {
		t.Errorf("a directory as the config: %v", err)
	}
}
