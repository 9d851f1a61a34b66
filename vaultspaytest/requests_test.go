package vaultspaytest

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRequestBodiesMatchDescription holds each handler's own request body type to its operation in
// openapi/vaultspay.yaml: the same JSON names, each with the declared JSON type (int64 for integer,
// string, bool, []byte for format byte, slices for arrays, structs for objects).
func TestRequestBodiesMatchDescription(t *testing.T) {
	c, err := loadContract()
	require.NoError(t, err)
	post := http.MethodPost
	tests := []struct {
		method, path string
		body         any
	}{
		{post, "/as/api/v1/saas-login", credentialsBody{}},
		{post, "/as/api/v1/saas-refresh-token", refreshBody{}},
		{post, "/as/api/v1/users", createUserBody{}},
		{post, "/us/api/v1/kyc/personal", personalBody{}},
		{http.MethodPatch, "/us/api/v1/kyc/personal", personalBody{}},
		{post, "/us/api/v1/kyc/addresses", addressBody{}},
		{http.MethodPatch, "/us/api/v1/kyc/addresses", updateAddressBody{}},
		{post, "/us/api/v1/kyc/identification", identificationBody{}},
		{http.MethodPatch, "/us/api/v1/kyc/identification", identificationBody{}},
		{post, "/be/api/v1/accounts", accountBody{}},
		{post, "/be/api/v1/validate-iban", ibanBody{}},
		{post, "/be/api/v1/direct-payment-contact", contactBody{}},
		{post, "/tc/api/v1/direct-transfer", transferBody{}},
		{post, "/pcs/api/v1/cards", createCardBody{}},
		{post, "/pcs/api/v1/process-card-request", processCardBody{}},
		{post, "/pcs/api/v1/update-card-manufacturing", manufacturingBody{}},
		{post, "/pcs/api/v1/update-delivery-status", deliveryBody{}},
		{post, "/pcs/api/v1/activate-card", activateBody{}},
		{post, "/pcs/api/v1/set-pin", pinBody{}},
		{post, "/pcs/api/v1/cards/details", cardLookupBody{}},
		{post, "/pcs/api/v1/get-card-pan", cardLookupBody{}},
		{post, "/pcs/api/v1/get-card-cvv", cardLookupBody{}},
		{post, "/pcs/api/v1/get-card-expiry", cardLookupBody{}},
		{post, "/pcs/api/v1/enroll-card-three-ds", cardRefBody{}},
		{post, "/pcs/api/v1/remove-card-three-ds", cardRefBody{}},
		{post, "/pcs/api/v1/update-card-status", cardStatusBody{}},
		{post, "/pcs/api/v1/toggle-freeze-card", freezeBody{}},
		{post, "/pcs/api/v1/update-card-account", cardAccountBody{}},
		{post, "/pcs/api/v1/report-card-issue", reportBody{}},
		{post, "/pcs/api/v1/review-report-card-issue", cardRemarksBody{}},
		{post, "/pcs/api/v1/replace-card", cardRemarksBody{}},
		{post, "/pcs/api/v1/renew-card", cardRemarksBody{}},
		{post, "/pcs/api/v1/decline-card", cardRemarksBody{}},
		{post, "/pcs/api/v1/virtual-to-physical", conversionBody{}},
		{post, "/pcs/api/v1/virtual-to-physical-process", conversionDecisionBody{}},
		{http.MethodPut, "/re/api/v1/card-security", cardSecurityBody{}},
		{http.MethodPatch, "/re/api/v1/card-security/reset", cardIDBody{}},
		{http.MethodPut, "/re/api/v1/transaction-limits", limitBody{}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			item := c.Document().Paths.Find(tt.path)
			require.NotNil(t, item)
			op := item.GetOperation(tt.method)
			require.NotNil(t, op)
			media := op.RequestBody.Value.Content.Get("application/json")
			require.NotNil(t, media)
			assertShape(t, "body", media.Schema.Value, reflect.TypeOf(tt.body))
		})
	}
}

// assertShape checks that values of typ decode exactly the JSON that schema s describes at key.
func assertShape(t *testing.T, key string, s *openapi3.Schema, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	var want string
	switch typ.Kind() {
	case reflect.Int64:
		want = openapi3.TypeInteger
	case reflect.String:
		want = openapi3.TypeString
	case reflect.Bool:
		want = openapi3.TypeBoolean
	case reflect.Slice:
		if typ.Elem().Kind() == reflect.Uint8 {
			want = openapi3.TypeString
			assert.Equal(t, "byte", s.Format, "%s: []byte is for format byte", key)
			break
		}
		want = openapi3.TypeArray
		if assert.NotNil(t, s.Items, "%s: an array without items", key) {
			assertShape(t, key+"[]", s.Items.Value, typ.Elem())
		}
	case reflect.Struct:
		want = openapi3.TypeObject
		fields := jsonFields(typ)
		names := make([]string, 0, len(fields))
		for name, f := range fields {
			names = append(names, name)
			if p := s.Properties[name]; assert.NotNil(t, p, "%s.%s: not in the description", key, name) {
				assertShape(t, key+"."+name, p.Value, f)
			}
		}
		var props []string
		for name := range s.Properties {
			props = append(props, name)
		}
		assert.ElementsMatch(t, props, names, "%s: the JSON names", key)
	default:
		t.Errorf("%s: Go type %s has no JSON type the fake uses", key, typ)
		return
	}
	assert.True(t, s.Type.Is(want), "%s: Go %s decodes JSON %s; the description says %v", key, typ, want, s.Type)
}

// jsonFields maps the JSON names of typ's fields (those of embedded structs included) to their types.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(typ) {
		if f.Anonymous || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
