package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// archiveTable is the one table the dynamic archive serves: the webhook
// usage statistics (spec §1.7, §5).
const archiveTable = "webhook_usage"

// archiveColumns are the webhook_usage columns the archive can select, with
// how each is read from Usage.
var archiveColumns = map[string]func(id int32, u reference.Usage) any{
	"webhook_usage_id":   func(id int32, _ reference.Usage) any { return id },
	"total_calls":        func(_ int32, u reference.Usage) any { return u.TotalCalls },
	"total_errors":       func(_ int32, u reference.Usage) any { return u.TotalErrors },
	"consecutive_errors": func(_ int32, u reference.Usage) any { return u.ConsecutiveErrors },
	"last_error":         func(_ int32, u reference.Usage) any { return u.LastError },
}

// archiveFilter is the only $filter the archive understands:
// `webhook_usage.webhook_usage_id eq N` (the table prefix is optional).
var archiveFilter = regexp.MustCompile(`(?i)^\s*(?:webhook_usage\.)?webhook_usage_id\s+eq\s+(-?\d+)\s*$`)

// restArchive serves GET /api/v1/Archive/dynamic for the webhook_usage
// table, the documented way to read usage statistics (spec §5):
// `$select=webhook_usage.total_calls,...&$filter=webhook_usage.webhook_usage_id eq {id}`.
// Each row is an object keyed by the selected names as given. Without a
// filter it returns a row per webhook the caller can see; a filter naming a
// webhook the caller cannot see returns no rows. Other tables, columns and
// filters are refused with 400: this is not a general archive provider.
func (h *handler) restArchive(r *http.Request, c reference.Caller) (*reply, error) {
	q := r.URL.Query()
	sel, _ := wire.QueryFold(q, "$select")
	cols, err := archiveSelect(sel)
	if err != nil {
		return nil, err
	}
	var ids []int32
	if f, ok := wire.QueryFold(q, "$filter"); ok && strings.TrimSpace(f) != "" {
		m := archiveFilter.FindStringSubmatch(f)
		if m == nil {
			return nil, NewError(http.StatusBadRequest, wire.ErrTypeArgument,
				fmt.Sprintf("$filter %s: the reference archive understands only \"webhook_usage.webhook_usage_id eq N\"", reference.Quote(f)))
		}
		id, err := strconv.ParseInt(m[1], 10, 32)
		if err != nil {
			return nil, NewError(http.StatusBadRequest, wire.ErrTypeArgument, fmt.Sprintf("$filter %s: id out of range", reference.Quote(f)))
		}
		ids = []int32{int32(id)}
	} else {
		hooks, err := h.svc.List(r.Context(), c, reference.Filter{})
		if err != nil {
			return nil, err
		}
		for _, wh := range hooks {
			ids = append(ids, wh.WebhookID)
		}
	}
	rows := []any{}
	for _, id := range ids {
		u, err := h.svc.Usage(r.Context(), c, id)
		var ce *reference.Error
		if errors.As(err, &ce) && ce.Kind == reference.KindNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		row := wire.NewRecord(len(cols))
		for _, col := range cols {
			row.Add(col.name, archiveColumns[col.column](id, u))
		}
		rows = append(rows, row)
	}
	return entity("ArrayOfArchiveRow", "ArchiveRow", rows), nil
}

// archiveColumn is one selected column: the name as the client wrote it
// and the webhook_usage column it means.
type archiveColumn struct{ name, column string }

// archiveSelect parses $select; an empty one selects every column.
func archiveSelect(sel string) ([]archiveColumn, error) {
	var out []archiveColumn
	for _, part := range strings.Split(sel, ",") {
		name := strings.TrimSpace(part)
		if name == "" {
			continue
		}
		col := strings.ToLower(name)
		if table, rest, ok := strings.Cut(col, "."); ok {
			if table != archiveTable {
				return nil, NewError(http.StatusBadRequest, wire.ErrTypeArgument,
					fmt.Sprintf("$select %s: the reference archive serves only the %s table", reference.Quote(name), archiveTable))
			}
			col = rest
		}
		if _, ok := archiveColumns[col]; !ok {
			return nil, NewError(http.StatusBadRequest, wire.ErrTypeArgument,
				fmt.Sprintf("$select %s: %s has no column %s (known: webhook_usage_id, total_calls, total_errors, consecutive_errors, last_error)", reference.Quote(name), archiveTable, reference.Quote(col)))
		}
		out = append(out, archiveColumn{name: name, column: col})
	}
	if len(out) == 0 {
		for _, col := range []string{"webhook_usage_id", "total_calls", "total_errors", "consecutive_errors", "last_error"} {
			out = append(out, archiveColumn{name: archiveTable + "." + col, column: col})
		}
	}
	return out, nil
}
