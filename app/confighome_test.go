//go:build linux

package app

import (
	"os/user"
	"path/filepath"
	"testing"
)

// TestConfigHomeLikeTheCredentials: the config's default location finds
// home as the credentials file does (HOME, else the user database), and
// refuses a relative HOME rather than read a config from the current
// directory.
func TestConfigHomeLikeTheCredentials(t *testing.T) {
	u, err := user.Current()
	if err != nil || !filepath.IsAbs(u.HomeDir) {
		t.Skip("no home directory in the user database")
	}
	t.Setenv("HOME", "") // os.UserConfigDir would fail without them
	t.Setenv("XDG_CONFIG_HOME", "")
	cases := []struct {
		env     map[string]string
		want    string
		wantErr bool
	}{
		{env: map[string]string{}, want: filepath.Join(u.HomeDir, ".config")},
		{env: map[string]string{"XDG_CONFIG_HOME": "relative"}, want: filepath.Join(u.HomeDir, ".config")},
		{env: map[string]string{"HOME": "/home/x"}, want: "/home/x/.config"},
		{env: map[string]string{"HOME": "/home/x", "XDG_CONFIG_HOME": "/xdg"}, want: "/xdg"},
		{env: map[string]string{"HOME": "relative"}, wantErr: true},
	}
	for _, tc := range cases {
		got, err := userDir(func(k string) string { return tc.env[k] }, "AppData", "XDG_CONFIG_HOME", ".config")
		if tc.wantErr != (err != nil) || got != tc.want {
			t.Errorf("%v: %q, %v; want %q", tc.env, got, err, tc.want)
		}
	}
}

// TestStateDirLikeTheConfig: the state directory finds home the same way,
// honours an absolute XDG_STATE_HOME only, and refuses a relative HOME
// (status and doctor then show no key ages).
func TestStateDirLikeTheConfig(t *testing.T) {
	cases := []struct {
		env     map[string]string
		want    string
		wantErr bool
	}{
		{env: map[string]string{"HOME": "/home/x"}, want: "/home/x/.local/state/aws-mfa"},
		{env: map[string]string{"HOME": "/home/x", "XDG_STATE_HOME": "/xdg"}, want: "/xdg/aws-mfa"},
		{env: map[string]string{"HOME": "/home/x", "XDG_STATE_HOME": "rel"}, want: "/home/x/.local/state/aws-mfa"},
		{env: map[string]string{"HOME": "relative"}, wantErr: true},
	}
	for _, tc := range cases {
		got, err := stateDir(func(k string) string { return tc.env[k] })
		// On an error the directory is "", so that a caller that goes on
		// without it reads no state from a relative path.
		if tc.wantErr != (err != nil) || got != tc.want {
			t.Errorf("%v: %q, %v; want %q", tc.env, got, err, tc.want)
		}
	}
}
