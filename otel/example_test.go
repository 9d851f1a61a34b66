package vaultspayotel_test

import (
	"context"
	"fmt"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/vaultspay-go/vaultspay"
	vaultspayotel "github.com/vaultspay-go/vaultspay/otel"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// This example traces a client into an in-memory exporter (use your OTLP exporter and meter provider
// instead) and prints the spans of one call: the login it needed, then the call with its attempt.
func ExampleMiddleware() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	mw, err := vaultspayotel.Middleware(vaultspayotel.WithTracerProvider(tp)) // the global meter provider meters
	if err != nil {
		fmt.Println(err)
		return
	}
	client := srv.Client(vaultspay.WithMiddleware(mw))
	if _, err := client.Ping(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range spans.GetSpans() {
		fmt.Println(s.Name)
	}
	// Output:
	// POST /as/api/v1/saas-login
	// vaultspay.Auth.Login
	// GET /v1/ping
	// vaultspay.Client.Ping
}
