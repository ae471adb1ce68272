package probe

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestClaudeSettingsFilesOrder(t *testing.T) {
	root := t.TempDir()
	managed := filepath.Join(root, "etc")
	if err := os.MkdirAll(filepath.Join(managed, "managed-settings.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"10-a.json", "20-b.json", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(managed, "managed-settings.d", n), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := &Env{Home: filepath.Join(root, "home"), Dir: filepath.Join(root, "proj"), ManagedDir: managed}
	var got []string
	for _, f := range ClaudeSettingsFiles(env) {
		rel, _ := filepath.Rel(root, f.Path)
		got = append(got, f.Scope+":"+rel)
	}
	want := []string{
		"managed:etc/managed-settings.json",
		"managed:etc/managed-settings.d/20-b.json",
		"managed:etc/managed-settings.d/10-a.json",
		"local:proj/.claude/settings.local.json",
		"project:proj/.claude/settings.json",
		"user:home/.claude/settings.json",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	env.ManagedDir = ""
	if fs := ClaudeSettingsFiles(env); fs[0].Scope != ScopeLocal {
		t.Fatalf("no managed dir set: first file is %+v", fs[0])
	}
}
