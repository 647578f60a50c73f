package reference

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// hookFileName is the store's file inside Options.DataDir.
const hookFileName = "webhooks.json"

// hookFileVersion is the format version written to the file.
const hookFileVersion = 1

// hookFile is the on-disk store: one JSON document replaced atomically.
type hookFile struct {
	dir string
}

// hookFileState is the document: the id counter and every hook with its
// application token and usage row.
type hookFileState struct {
	Version  int          `json:"version"`
	NextID   int32        `json:"nextId"`
	Webhooks []storedHook `json:"webhooks"`
}

type storedHook struct {
	Webhook          storedWebhook `json:"webhook"`
	ApplicationToken string        `json:"applicationToken,omitempty"`
	Usage            Usage         `json:"usage"`
}

// storedWebhook is Webhook with stable JSON names.
type storedWebhook struct {
	WebhookID           int32             `json:"id"`
	Name                string            `json:"name,omitempty"`
	Events              []string          `json:"events"`
	TargetURL           string            `json:"targetUrl"`
	Secret              string            `json:"secret,omitempty"`
	State               State             `json:"state"`
	Type                string            `json:"type"`
	Headers             map[string]string `json:"headers,omitempty"`
	Properties          map[string]any    `json:"properties,omitempty"`
	Registered          time.Time         `json:"registered"`
	RegisteredAssociate *Associate        `json:"registeredAssociate,omitempty"`
	Updated             time.Time         `json:"updated"`
	UpdatedAssociate    *Associate        `json:"updatedAssociate,omitempty"`
	ErrorsEmail         string            `json:"errorsEmail,omitempty"`
	V121                *V121Fields       `json:"v121,omitempty"`
}

// storedWebhookOf is w with the file's JSON names.
func storedWebhookOf(w Webhook) storedWebhook { return storedWebhook(w) }

// webhook is the Webhook a record holds, its dates in UTC.
func (h storedWebhook) webhook() Webhook {
	return Webhook{
		WebhookID: h.WebhookID, Name: h.Name, Events: h.Events, TargetURL: h.TargetURL,
		Secret: h.Secret, State: h.State, Type: h.Type, Headers: h.Headers, Properties: h.Properties,
		Registered: h.Registered.UTC(), RegisteredAssociate: h.RegisteredAssociate,
		Updated: h.Updated.UTC(), UpdatedAssociate: h.UpdatedAssociate, ErrorsEmail: h.ErrorsEmail,
		V121: h.V121,
	}
}

// openHookFile makes sure dir exists and removes temporary files a crash
// may have left behind.
func openHookFile(dir string) (*hookFile, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("reference: data directory: %w", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "."+hookFileName+".*.tmp"))
	for _, p := range leftovers {
		_ = os.Remove(p)
	}
	return &hookFile{dir: dir}, nil
}

// load reads the document; a missing file is an empty store.
func (f *hookFile) load() (*hookFileState, error) {
	path := filepath.Join(f.dir, hookFileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &hookFileState{Version: hookFileVersion, NextID: 1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reference: reading %s: %w", path, err)
	}
	var st hookFileState
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("reference: %s is not a valid webhook store: %w", path, err)
	}
	if st.Version != hookFileVersion {
		return nil, fmt.Errorf("reference: %s has format version %d; this build reads %d", path, st.Version, hookFileVersion)
	}
	if err := st.check(); err != nil {
		return nil, fmt.Errorf("reference: %s: %w", path, err)
	}
	return &st, nil
}

// check refuses a document the service could not have written: a record
// with an id that is not positive or that another record holds too, a
// State that is not a WebhookState, a definition that a save would refuse
// (the limits of §1.1, a TargetUrl that is not http(s)), or negative usage
// counters. Loading such a store would silently drop or serve bad state,
// so the service does not start on it.
func (st *hookFileState) check() error {
	seen := make(map[int32]int, len(st.Webhooks))
	for i, h := range st.Webhooks {
		id := h.Webhook.WebhookID
		where := fmt.Sprintf("webhook record %d (id %d)", i+1, id)
		if id <= 0 {
			return fmt.Errorf("%s: the id must be positive", where)
		}
		if first, dup := seen[id]; dup {
			return fmt.Errorf("%s: record %d has the same id", where, first)
		}
		seen[id] = i + 1
		w := h.Webhook.webhook()
		if w.State < StateActive || w.State > StateTooManyErrors {
			return fmt.Errorf("%s: State %d is not a WebhookState (1 Active, 2 Stopped, 3 TooManyErrors)", where, w.State)
		}
		stored := w
		if err := (StandardValidator{}).Validate(&w, &stored); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		u := h.Usage
		if u.TotalCalls < 0 || u.TotalErrors < 0 || u.ConsecutiveErrors < 0 {
			return fmt.Errorf("%s: usage counters may not be negative", where)
		}
	}
	return nil
}

// save replaces the document crash-safely: write a temporary file in the
// same directory, fsync it, rename it over the old one, fsync the
// directory.
func (f *hookFile) save(st *hookFileState) error {
	data, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return fmt.Errorf("encoding the webhook store: %w", err)
	}
	return writeFileAtomic(f.dir, hookFileName, data)
}

// writeFileAtomic writes dir/name so that after a crash it holds either the
// old or the new content, never a mix.
func writeFileAtomic(dir, name string, data []byte) (err error) {
	tmp, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return fmt.Errorf("creating a temporary file in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", tmp.Name(), err)
	}
	target := filepath.Join(dir, name)
	if err = os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("replacing %s: %w", target, err)
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory so a rename inside it is durable. File systems
// that cannot sync directories are tolerated.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) &&
		!strings.Contains(err.Error(), "not supported") {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}
