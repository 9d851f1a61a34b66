// Package openapi holds the OpenAPI 3.0 description of the VaultsPay Issuance API as this project
// knows it (vaultspay.yaml, written by hand from shared/api) and checks requests and answers against
// it. The fake server (vaultspaytest) refuses requests that break it and checks its own answers; the
// SDK's wire tests check the bodies the SDK builds. The root vaultspay package never imports it.
package openapi

import (
	"bytes"
	"context"
	_ "embed" // vaultspay.yaml
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

//go:embed vaultspay.yaml
var description []byte

// YAML returns the description as written (a copy).
func YAML() []byte { return bytes.Clone(description) }

// Contract is the loaded, validated description with a router; safe for concurrent use.
type Contract struct {
	doc    *openapi3.T
	router routers.Router
}

// Load parses the embedded description and validates it as an OpenAPI document.
func Load() (*Contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(description)
	if err != nil {
		return nil, fmt.Errorf("openapi: loading vaultspay.yaml: %w", err)
	}
	if err := doc.Validate(loader.Context, openapi3.EnableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("openapi: vaultspay.yaml is not a valid description: %w", err)
	}
	// Route on paths only: requests reach the fake on loopback, not on the documented servers.
	routed := *doc
	routed.Servers = openapi3.Servers{{URL: "/"}}
	router, err := gorillamux.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("openapi: routing vaultspay.yaml: %w", err)
	}
	return &Contract{doc: doc, router: router}, nil
}

// Document returns the parsed description (shared: do not modify it).
func (c *Contract) Document() *openapi3.T { return c.doc }

// Problem is one way a request or an answer breaks the description.
type Problem struct {
	In     string // "path", "query", "header" or "body"
	Key    string // the parameter's name, or the field's JSON name ("address.city", "documents[0].content"); "body" for the body as a whole
	Reason string
}

func (p Problem) String() string { return p.In + " " + p.Key + ": " + p.Reason }

// ErrNoOperation means the description has no operation for a method and path.
var ErrNoOperation = errors.New("openapi: no operation in the description")

// CheckRequest lists the problems of a request whose body (the plaintext JSON, nil for none) is
// given separately from r: path parameters, query, headers and body. It fails only with
// ErrNoOperation.
func (c *Contract) CheckRequest(r *http.Request, body []byte) ([]Problem, error) {
	in, err := c.requestInput(r.Method, r.URL, r.Header, body)
	if err != nil {
		return nil, err
	}
	return problems(openapi3filter.ValidateRequest(context.Background(), in)), nil
}

// CheckRequestBody lists the problems of the JSON body an SDK would send to method and path (a
// concrete path such as /us/api/v1/kyc/12; a query is ignored). Parameters and headers are not
// checked. It fails only with ErrNoOperation.
func (c *Contract) CheckRequestBody(method, path string, body []byte) ([]Problem, error) {
	u, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q", ErrNoOperation, method, path)
	}
	u.RawQuery = ""
	in, err := c.requestInput(method, u, http.Header{}, body)
	if err != nil {
		return nil, err
	}
	in.Options.ExcludeRequestQueryParams = true
	item := *in.Route.PathItem
	item.Parameters = nil
	in.Route = &routers.Route{Spec: in.Route.Spec, Server: in.Route.Server, Path: in.Route.Path,
		PathItem: &item, Method: in.Route.Method, Operation: bodyOnly(in.Route.Operation)}
	return problems(openapi3filter.ValidateRequest(context.Background(), in)), nil
}

// bodyOnly is op without parameters and security, for checking a body alone.
func bodyOnly(op *openapi3.Operation) *openapi3.Operation {
	o := *op
	o.Parameters = nil
	o.Security = &openapi3.SecurityRequirements{}
	return &o
}

// CheckResponse lists the problems of an answer (status, headers, plaintext JSON body) to a request
// for method and target (path with its query). It fails only with ErrNoOperation.
func (c *Contract) CheckResponse(method, target string, status int, header http.Header, body []byte) ([]Problem, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q", ErrNoOperation, method, target)
	}
	in, err := c.requestInput(method, u, http.Header{}, nil)
	if err != nil {
		return nil, err
	}
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Content-Type", "application/json")
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: h,
		Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true,
			SchemaValidationOptions: schemaOptions()}}
	return problems(openapi3filter.ValidateResponse(context.Background(), out)), nil
}

// requestInput finds the operation for method and u and builds the validation input with body.
func (c *Contract) requestInput(method string, u *url.URL, header http.Header, body []byte) (*openapi3filter.RequestValidationInput, error) {
	target := &url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery}
	req, err := http.NewRequest(method, target.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s", ErrNoOperation, method, u.Path)
	}
	req.Header = header.Clone()
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Body = http.NoBody
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s", ErrNoOperation, method, u.Path)
	}
	return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			SkipSettingDefaults:     true,
			SchemaValidationOptions: schemaOptions()}}, nil
}

// problems flattens a validation error into problems, sorted by place (path, query, header, body)
// and then by key, so that the same request always gets the same answer.
func problems(err error) []Problem {
	if err == nil {
		return nil
	}
	var out []Problem
	collect(&out, "", "", err)
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := placeRank(out[i].In), placeRank(out[j].In); a != b {
			return a < b
		}
		return out[i].Key < out[j].Key
	})
	// One problem per place and key: the first (a blank name breaks minLength and pattern alike).
	return slices.CompactFunc(out, func(a, b Problem) bool { return a.In == b.In && a.Key == b.Key })
}

func placeRank(in string) int {
	return strings.Index("path query header body", in)
}

// collect appends the problems of err, found in place in with key prefix key.
func collect(out *[]Problem, in, key string, err error) {
	var multi openapi3.MultiError
	var reqErr *openapi3filter.RequestError
	var respErr *openapi3filter.ResponseError
	var schemaErr *openapi3.SchemaError
	var parseErr *openapi3filter.ParseError
	switch {
	case errors.As(err, &multi) && isTop(err, multi):
		for _, e := range multi {
			collect(out, in, key, e)
		}
	case errors.As(err, &reqErr) && reqErr.Parameter != nil:
		collectCause(out, reqErr.Parameter.In, reqErr.Parameter.Name, reqErr.Reason, reqErr.Err)
	case errors.As(err, &reqErr):
		collectCause(out, "body", "", reqErr.Reason, reqErr.Err)
	case errors.As(err, &respErr):
		collectCause(out, "body", "", respErr.Reason, respErr.Err)
	case errors.As(err, &schemaErr):
		*out = append(*out, schemaProblem(in, key, schemaErr))
	case errors.As(err, &parseErr):
		*out = append(*out, Problem{In: orBody(in), Key: orBody(key), Reason: "must be JSON of the documented shape"})
	default:
		*out = append(*out, Problem{In: orBody(in), Key: orBody(key), Reason: err.Error()})
	}
}

// isTop reports whether multi is err itself (not a MultiError found deeper in the chain).
func isTop(err error, multi openapi3.MultiError) bool {
	m, ok := err.(openapi3.MultiError)
	return ok && len(m) == len(multi)
}

// collectCause collects the cause of a request or response error, or its reason when it has none.
func collectCause(out *[]Problem, in, key, reason string, cause error) {
	if cause == nil {
		if strings.Contains(reason, "value is required but missing") || strings.Contains(reason, "required") {
			reason = "must not be empty"
		}
		*out = append(*out, Problem{In: in, Key: orBody(key), Reason: reason})
		return
	}
	if errors.Is(cause, openapi3filter.ErrInvalidRequired) || errors.Is(cause, openapi3filter.ErrInvalidEmptyValue) {
		*out = append(*out, Problem{In: in, Key: orBody(key), Reason: "must not be blank"})
		return
	}
	collect(out, in, key, cause)
}

func orBody(s string) string {
	if s == "" {
		return "body"
	}
	return s
}

// schemaProblem names the field of a schema error by its JSON name, array indices in brackets.
func schemaProblem(in, prefix string, e *openapi3.SchemaError) Problem {
	path := e.JSONPointer()
	reason := e.Reason
	switch e.SchemaField {
	case "properties":
		if name, ok := unsupportedName(e.Reason); ok {
			path = append(path, name)
			reason = "is not a field of this request"
		}
	case "required":
		reason = "must not be blank"
	case "type":
		if e.Schema != nil && e.Schema.Type != nil {
			reason = "must be a JSON " + jsonTypeName(e.Schema)
		}
	case "enum":
		reason = "must be one of the documented values"
	case "minLength":
		if e.Schema != nil && e.Schema.MinLength == 1 {
			reason = "must not be blank"
		}
	case "pattern":
		reason = "does not have the documented format"
	case "format":
		if e.Schema != nil {
			reason = formatReason(e.Schema.Format)
		}
	}
	var b strings.Builder
	b.WriteString(prefix)
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil && b.Len() > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	key := b.String()
	if key == "" {
		key = "body"
	}
	return Problem{In: orBody(in), Key: key, Reason: reason}
}

// unsupportedName reads the property name out of kin-openapi's `property "x" is unsupported`.
func unsupportedName(reason string) (string, bool) {
	rest, ok := strings.CutPrefix(reason, "property ")
	if !ok {
		return "", false
	}
	q, _, ok := strings.Cut(rest, " is unsupported")
	if !ok {
		return "", false
	}
	name, err := strconv.Unquote(q)
	return name, err == nil
}

// jsonTypeName is the JSON type a schema asks for, in words ("integer", "string or null").
func jsonTypeName(s *openapi3.Schema) string {
	return strings.Join(s.Type.Slice(), " or ")
}

// CheckSchema lists the problems of a JSON value against the component schema name (e.g.
// "CardEvent", "TransferEvent"); it fails when the description has no such schema.
func (c *Contract) CheckSchema(name string, body []byte) ([]Problem, error) {
	ref := c.doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("openapi: no component schema %q", name)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []Problem{{In: "body", Key: "body", Reason: "must be JSON of the documented shape"}}, nil
	}
	return problems(ref.Value.VisitJSON(v, append(schemaOptions(), openapi3.MultiErrors())...)), nil
}

// formatReason says in words what a string format asks for.
func formatReason(format string) string {
	switch format {
	case "date":
		return "must be a date, YYYY-MM-DD"
	case "date-time":
		return "must be an ISO 8601 timestamp with offset"
	case "byte":
		return "must be standard Base64"
	}
	return "must have the format " + format
}

// schemaOptions checks formats, a date on the calendar too (1990-02-31 is no date).
func schemaOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{openapi3.EnableFormatValidation(),
		openapi3.WithStringFormatValidator("date", openapi3.NewCallbackValidator(func(s string) error {
			_, err := time.Parse(time.DateOnly, s)
			return err
		}))}
}

// ErrBreaksDescription is wrapped by ValidateRequestBody's error when the body breaks the description.
var ErrBreaksDescription = errors.New("openapi: breaks openapi/vaultspay.yaml")

// ValidateRequestBody is CheckRequestBody for test harnesses: nil when body keeps to the operation
// method and path name, else an error wrapping ErrBreaksDescription (or ErrNoOperation) that lists
// every problem.
func (c *Contract) ValidateRequestBody(method, path string, body []byte) error {
	probs, err := c.CheckRequestBody(method, path, body)
	if err != nil {
		return err
	}
	if len(probs) == 0 {
		return nil
	}
	msgs := make([]string, len(probs))
	for i, p := range probs {
		msgs[i] = p.String()
	}
	return fmt.Errorf("%w: %s %s: %s", ErrBreaksDescription, method, path, strings.Join(msgs, "; "))
}
