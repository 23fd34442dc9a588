package suggest

import "testing"

func TestClosest(t *testing.T) {
	commands := []string{"env", "exec", "status", "hook", "setup", "doctor", "help"}
	for _, tc := range []struct{ in, want string }{
		{"statsu", "status"}, {"stauts", "status"}, {"statu", "status"}, {"docter", "doctor"},
		{"ev", "env"}, {"exce", "exec"}, {"setpu", "setup"}, {"hok", "hook"},
		{"x", ""}, {"foo", ""}, {"ex", ""}, {"zzzzzz", ""}, {"hepl", "help"}, {"status", ""}, {"123456", ""},
	} {
		if got := Closest(tc.in, commands); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Closest("defualt", []string{"aws-mfa", "default", "work"}); got != "default" {
		t.Errorf("defualt: %q", got)
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"statsu", "status", 1}, {"kitten", "sitting", 3}, {"ab", "ba", 1}, {"héllo", "hello", 1}} {
		if got := Distance(tc.a, tc.b); got != tc.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
		if got := Distance(tc.b, tc.a); got != tc.d {
			t.Errorf("not symmetric: %q %q", tc.a, tc.b)
		}
	}
}
