package credfile

import (
	"os"
	"testing"
)

const sample = "# keep\n[aws-mfa]\naws_access_key_id = AKIAEXAMPLE\n"

func write(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func setSession(f *File) ([]byte, error) {
	return f.Edit("default", sessionKeys, []string{"aws_security_token"})
}

// editINI is Writer.EditBytes of the INI file at path, parsed.
func editINI(w Writer, path string, edit func(*File) ([]byte, error)) error {
	return w.EditBytes(path, Parsed(path, edit))
}
