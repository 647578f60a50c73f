package reference

// Outcome is the result of one delivery attempt.
type Outcome struct {
	Success bool
	// Status is the HTTP status, 0 when there was no HTTP response.
	Status int
	// Error is the failure text: the response (status line, headers,
	// body) or the transport error; empty on success.
	Error string
}

// UsageAccounting updates a hook's webhook_usage row (spec §1.7, §5,
// §9 #4): after every attempt, and when a user sets a hook back to Active.
type UsageAccounting interface {
	// Record books one attempt.
	Record(u Usage, o Outcome) Usage
	// Reactivate is applied when a user saves a non-Active hook as Active.
	Reactivate(u Usage) Usage
}

// AttemptAccounting counts every attempt in total_calls and every failed
// attempt in total_errors and consecutive_errors; a success resets
// consecutive_errors; last_error keeps the latest failure, bounded to
// MaxErrorText characters.
type AttemptAccounting struct{}

// Reactivate implements UsageAccounting: the consecutive count starts over;
// the totals and last_error stay.
func (AttemptAccounting) Reactivate(u Usage) Usage {
	u.ConsecutiveErrors = 0
	return u
}

// Record implements UsageAccounting.
func (AttemptAccounting) Record(u Usage, o Outcome) Usage {
	u.TotalCalls++
	if o.Success {
		u.ConsecutiveErrors = 0
		return u
	}
	u.TotalErrors++
	u.ConsecutiveErrors++
	u.LastError = LimitText(o.Error, MaxErrorText)
	return u
}
