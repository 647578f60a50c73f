package framework

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// Usage is the usage statistics of one webhook (spec §1.7): -1 for a
// counter the answer did not hold.
type Usage struct {
	TotalCalls, TotalErrors, ConsecutiveErrors int64
}

// ReadUsage reads the usage statistics of webhook id where the profile
// says they are (--usage-stats): from the dynamic archive or from the
// v12.1 fields of the entity. It needs the REST driver; with
// --usage-stats none it answers an error.
func ReadUsage(ctx context.Context, rest *driver.RESTDriver, p Profile, id int32) (Usage, error) {
	switch p.UsageStats {
	case "none":
		return Usage{}, fmt.Errorf("the target exposes no usage statistics (--usage-stats none)")
	case "fields":
		wh, err := rest.Get(ctx, id)
		if err != nil {
			return Usage{}, err
		}
		if wh == nil {
			return Usage{}, fmt.Errorf("webhook %d not found", id)
		}
		b := gjson.Parse(wh.Raw)
		return Usage{TotalCalls: b.Get("TotalCalls").Int(), TotalErrors: b.Get("TotalErrors").Int(), ConsecutiveErrors: b.Get("ConsecutiveErrors").Int()}, nil
	}
	q := url.Values{}
	q.Set("$select", "webhook_usage.total_calls,webhook_usage.total_errors,webhook_usage.consecutive_errors,webhook_usage.last_error")
	q.Set("$filter", fmt.Sprintf("webhook_usage.webhook_usage_id eq %d", id))
	resp, err := rest.Do(ctx, http.MethodGet, "/api/v1/Archive/dynamic?"+q.Encode(), nil, nil)
	if err != nil {
		return Usage{}, err
	}
	if resp.Status != http.StatusOK {
		return Usage{}, fmt.Errorf("GET /api/v1/Archive/dynamic: HTTP %d: %.200s", resp.Status, resp.Body)
	}
	doc := gjson.ParseBytes(resp.Body)
	return Usage{
		TotalCalls:        findNumber(doc, "total_calls"),
		TotalErrors:       findNumber(doc, "total_errors"),
		ConsecutiveErrors: findNumber(doc, "consecutive_errors"),
	}, nil
}

// findNumber returns the first value, anywhere in doc, of a member whose
// name ends with suffix (archive rows name columns with their table).
func findNumber(doc gjson.Result, suffix string) int64 {
	var out int64 = -1
	var walk func(r gjson.Result) bool
	walk = func(r gjson.Result) bool {
		found := false
		r.ForEach(func(k, v gjson.Result) bool {
			if k.Type == gjson.String && strings.HasSuffix(strings.ToLower(k.String()), suffix) && v.Type != gjson.JSON {
				out = v.Int()
				found = true
				return false
			}
			if v.IsObject() || v.IsArray() {
				if walk(v) {
					found = true
					return false
				}
			}
			return true
		})
		return found
	}
	walk(doc)
	return out
}
