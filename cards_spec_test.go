package vaultspay

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Types whose UnmarshalJSON accepts several spellings are checked through their wire struct, since a custom
// UnmarshalJSON does not see the decoder's DisallowUnknownFields.
func newCardUpdateWire() any { return &cardUpdateWire{cardUpdateFields: new(cardUpdateFields)} }
func newCardWire() any       { return &cardWire{cardFields: new(cardFields)} }

// TestCardsSpecExamples decodes every JSON example of 40-cards-issuance.md and 41-cards-controls.md (copied verbatim
// into testdata/spec/cards) with DisallowUnknownFields into its model, proving every documented field is modelled;
// request examples must also encode back to the same JSON.
func TestCardsSpecExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		into func() any
	}{
		{"embossing-names.response.json", func() any { return new(EmbossingNameOptions) }},
		{"embossing-names.error.json", func() any { return new(apiErrorBody) }},
		{"create-card.request.json", func() any { return new(CreateCardRequest) }},
		{"process-card-request.request.json", func() any { return new(ProcessCardRequest) }},
		{"update-delivery-status.request.json", func() any { return new(UpdateCardDeliveryRequest) }},
		{"update-delivery-status.response.json", newCardUpdateWire},
		{"activate-card.request.json", func() any { return new(ActivateCardRequest) }},
		{"activate-card.response.json", newCardUpdateWire},
		{"card-details.request.json", func() any { return new(cardLookup) }},
		{"get-card-pan.request.json", func() any { return new(cardLookup) }},
		{"get-card-pan.response.json", func() any { return new(CardPAN) }},
		{"get-card-cvv.request.json", func() any { return new(cardLookup) }},
		{"get-card-cvv.response.json", func() any { return new(CardCVV) }},
		{"get-card-expiry.request.json", func() any { return new(cardLookup) }},
		{"get-card-expiry.response.json", func() any { return new(CardExpiry) }},
		{"remove-card-three-ds.request.json", func() any { return new(removeThreeDSBody) }},
		{"remove-card-three-ds.response.json", newCardUpdateWire},
		{"update-card-status.request.json", func() any { return new(UpdateCardStatusRequest) }},
		{"update-card-status.response.json", newCardUpdateWire},
		{"update-card-account.request.json", func() any { return new(UpdateCardAccountRequest) }},
		{"update-card-account.response.json", func() any { return new(CardAccountLink) }},
		{"renew-card.request.json", func() any { return new(ReportedCardRequest) }},
		{"renew-card.response.json", func() any { return new(ReissuedCard) }},
		{"decline-card.request.json", func() any { return new(ReportedCardRequest) }},
		{"decline-card.response.json", newCardUpdateWire},
		{"virtual-to-physical.request.json", func() any { return new(CardConversionRequest) }},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "spec", "cards", "*.json"))
	require.NoError(t, err)
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			raw := specCards(t, tt.file)
			payload := raw
			if strings.Contains(tt.file, ".response.") {
				var env map[string]json.RawMessage
				require.NoError(t, decodeStrict(raw, &env))
				require.Len(t, env, 1, "only data at the top")
				payload = env["data"]
				require.NotNil(t, payload)
			}
			v := tt.into()
			require.NoError(t, decodeStrict(payload, v), "every documented field is modelled")
			if strings.Contains(tt.file, ".request.") {
				b, err := json.Marshal(v)
				require.NoError(t, err)
				assert.JSONEq(t, string(raw), string(b), "the request model encodes the example back unchanged")
			}
		})
	}
	for _, f := range files {
		assert.True(t, covered[filepath.Base(f)], "%s has a row", f)
	}
}

// TestCardsSpecTruncatedCard: the only card-object JSON the vendor shows is cut inside "email"; closed again, every
// field it shows is modelled.
func TestCardsSpecTruncatedCard(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("testdata", "spec", "cards", "process-card-request.response.truncated.txt"))
	require.NoError(t, err)
	require.False(t, json.Valid(raw), "stored verbatim, cut")
	closed := append(bytes.TrimRight(raw, "\n"), []byte(`"}}}`)...)
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, decodeStrict(closed, &env))
	require.NoError(t, decodeStrict(env.Data, newCardWire()))
	var c Card
	_, err = decodeData(&Response{StatusCode: 200, Body: closed}, &c)
	require.NoError(t, err)
	assert.Equal(t, ID(533), c.ID)
	assert.Equal(t, ID(5), c.UserID)
	require.NotNil(t, c.UserProfile)
	assert.Equal(t, CardUserProfile{ID: 571, PronounTitle: "Mr", FirstName: "John", LastName: "Mock-Doe",
		Email: "default.user@vaul"}, *c.UserProfile)
	assert.JSONEq(t, string(env.Data), string(c.RawJSON()))
}
