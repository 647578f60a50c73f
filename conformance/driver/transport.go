package driver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// maxAnswer bounds the answers the drivers read.
const maxAnswer = 32 << 20

// Response is a raw answer of the service.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// roundTrip sends one request and reads the whole answer.
func roundTrip(ctx context.Context, hc *http.Client, method, url string, body []byte, header http.Header) (*Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("driver: %s %s: %w", method, url, err)
	}
	for k, vs := range header {
		for _, v := range vs {
			if v != "" {
				req.Header.Add(k, v)
			}
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("driver: %s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("driver: %s %s: read answer: %w", method, url, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}
