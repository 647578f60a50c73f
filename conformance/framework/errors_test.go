package framework

import (
	"errors"
	"testing"
)

func TestConfigErrorUnwraps(t *testing.T) {
	cause := errors.New("boom")
	err := error(&ConfigError{Err: cause})
	var ce *ConfigError
	if !errors.As(err, &ce) || !errors.Is(err, cause) || err.Error() != "boom" {
		t.Errorf("ConfigError does not wrap its cause: %v", err)
	}
}
