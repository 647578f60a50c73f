package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// writeAddrFile writes v as JSON to path atomically (temp file + rename),
// so a script polling for the file never reads half of it.
func writeAddrFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("addr file: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hookcheck-addr-*")
	if err != nil {
		return fmt.Errorf("addr file %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("addr file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("addr file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("addr file %s: %w", path, err)
	}
	return nil
}
