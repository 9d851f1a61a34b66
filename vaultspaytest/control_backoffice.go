package vaultspaytest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/vaultspay-go/vaultspay"
)

// backOfficeRoutes are the control routes of the back-office methods that have no other home: each
// calls its exported Server method (00-conventions.md §14).
func (s *Server) backOfficeRoutes() {
	s.control.HandleFunc("POST /_fake/tokens/expire", func(w http.ResponseWriter, _ *http.Request) {
		s.ExpireTokens()
		controlReply(w, struct{}{})
	})
	s.control.HandleFunc("POST /_fake/transfers/{id}/reverse", func(w http.ResponseWriter, r *http.Request) {
		id := controlID(r)
		if err := s.ReverseTransfer(id); err != nil {
			controlFail(w, err)
			return
		}
		s.mu.Lock()
		out := s.viewLocked(s.st.transactions.byID[id])
		s.mu.Unlock()
		controlReply(w, out)
	})
	s.control.HandleFunc("POST /_fake/webhooks/emit", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Event json.RawMessage `json:"event"`
		}
		if !readControl(w, r, &in) {
			return
		}
		ev, err := vaultspay.ParseEvent(in.Event)
		if err != nil {
			controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "event", Reason: "must be a JSON object: the event as delivered"}))
			return
		}
		if err := s.EmitWebhook(ev); err != nil {
			controlError(w, errBadRequest(http.StatusBadRequest, "No webhook URL is registered."))
			return
		}
		controlReply(w, map[string]string{"eventId": ev.EventID(), "eventType": ev.EventType()})
	})
	s.control.HandleFunc("POST /_fake/ibans", func(w http.ResponseWriter, r *http.Request) {
		e, ok := readIBANEntry(w, r)
		if !ok {
			return
		}
		if err := s.RegisterIBAN(e); err != nil {
			controlError(w, errInvalidPayload(vaultspay.FieldError{Key: "iban", Reason: err.Error()}))
			return
		}
		s.mu.Lock()
		out := s.ibanEntryViewLocked(e.IBAN)
		s.mu.Unlock()
		controlReply(w, out)
	})
}

// ibanEntryWire is the body of POST /_fake/ibans and its answer: known false for an IBAN the bank does
// not know, accountTitle null for one without a title.
type ibanEntryWire struct {
	IBAN         string  `json:"iban"`
	Known        bool    `json:"known"`
	AccountTitle *string `json:"accountTitle"`
	BankName     string  `json:"bankName"`
	SwiftCode    string  `json:"swiftCode"`
	BankCode     string  `json:"bankCode"`
}

// readIBANEntry decodes POST /_fake/ibans: "known" defaults to true; "accountTitle": null (present)
// registers an IBAN without a title, an absent one keeps the generated title.
func readIBANEntry(w http.ResponseWriter, r *http.Request) (IBANEntry, bool) {
	var raw map[string]json.RawMessage
	if !readControl(w, r, &raw) {
		return IBANEntry{}, false
	}
	in := ibanEntryWire{Known: true}
	var bad checks
	for k := range raw {
		if _, ok := ibanEntryFields[k]; !ok {
			bad.add(k, "is not a field of this request")
		}
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &in); err != nil {
		bad.add("body", "must be a JSON object of the documented shape")
	}
	if in.IBAN == "" {
		bad.add("iban", "must not be blank")
	}
	if err := bad.err(); err != nil {
		controlError(w, err.(*apiError))
		return IBANEntry{}, false
	}
	title, titled := raw["accountTitle"]
	e := IBANEntry{IBAN: in.IBAN, Unknown: !in.Known, BankName: in.BankName, SwiftCode: in.SwiftCode, BankCode: in.BankCode}
	if titled && string(title) == "null" {
		e.NoTitle = true
	} else if in.AccountTitle != nil {
		e.AccountTitle = *in.AccountTitle
	}
	return e, true
}

var ibanEntryFields = map[string]struct{}{"iban": {}, "known": {}, "accountTitle": {}, "bankName": {}, "swiftCode": {}, "bankCode": {}}

// ibanEntryViewLocked is how the bank look-up now answers for iban, as POST /_fake/ibans shows it.
func (s *Server) ibanEntryViewLocked(iban string) ibanEntryWire {
	iban = vaultspay.NormalizeIBAN(iban)
	d, err := s.resolveIBANLocked(iban)
	if err != nil {
		return ibanEntryWire{IBAN: iban}
	}
	out := ibanEntryWire{IBAN: iban, Known: true, BankName: d.BankName, SwiftCode: d.SwiftCode, BankCode: d.BankCode}
	if d.AccountTitle != "" {
		out.AccountTitle = &d.AccountTitle
	}
	return out
}

// controlID is the {id} of a control route; anything but a positive integer is 0, which nothing has.
func controlID(r *http.Request) vaultspay.ID {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return vaultspay.ID(n)
}

// controlFail answers err as the error object: the fake's own, a *vaultspay.APIError a Server method
// returned (sent back as the fake would have), or any other error as 400 1010 with its text.
func controlFail(w http.ResponseWriter, err error) {
	var e *apiError
	var pub *vaultspay.APIError
	switch {
	case errors.As(err, &e):
	case errors.As(err, &pub):
		e = newError(pub.StatusCode, pub.Code, pub.Message, pub.Type, pub.Errors...)
	default:
		e = errBadRequest(http.StatusBadRequest, err.Error())
	}
	controlError(w, e)
}
