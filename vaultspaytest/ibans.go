package vaultspaytest

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// The fake's bank look-up (shared/api/00-conventions.md §13): every IBAN that passes ISO 13616
// resolves to deterministic bank data; IBANs registered with RegisterIBAN (or POST /_fake/ibans)
// answer as registered. An IBAN that fails the checksum is 500 1010 "Invalid IBAN".

// IBANs with fixed answers (the first three are the vendor's examples). They are pre-registered on
// every server and after Reset.
const (
	TestIBANInvestBank = "AE580300000002000007377" // INVESTBANK, title "johm*"
	TestIBANZand       = "AE680961000648060000040" // Zand Bank PJSC, title "Adamz Ahme*"
	TestIBANZandAli    = "AE360961000648060000907" // Zand Bank PJSC, title "ALI AMMA*"
	TestIBANNoTitle    = "AE070331234567890123456" // MASHREQ BANK, no title: accountTitle must be sent
)

// IBANEntry is how the bank look-up answers for one IBAN. Empty BankName, SwiftCode and BankCode take
// the directory's values for the IBAN.
type IBANEntry struct {
	IBAN         string // any spacing or case; must pass ISO 13616
	Unknown      bool   // the bank does not know it: 500 1010 "Invalid IBAN"
	NoTitle      bool   // the bank has no title: 422 on accountTitle unless the request sends one
	AccountTitle string // "" (and not NoTitle): the directory's generated title
	BankName     string
	SwiftCode    string
	BankCode     string
}

// testBank is a bank of the directory's table.
type testBank struct{ name, swift string }

// knownBanks are the UAE bank codes (BBAN characters 1–3) the directory names; other codes get a
// generated test bank.
var knownBanks = map[string]testBank{
	"026": {"Emirates NBD Bank PJSC", "EBILAEADXXX"},
	"030": {"INVESTBANK", "IBTFAEASXXX"},
	"033": {"MASHREQ BANK", "BOMLAEADXXX"},
	"035": {"First Abu Dhabi Bank PJSC", "NBADAEAAXXX"},
	"096": {"Zand Bank PJSC", "ZANDAEAAXXX"},
}

// bankIDLength is the length of the bank identifier at the start of the BBAN, per country. UNKNOWN
// decided: countries not listed use 4 characters; the directory only needs a stable code.
var bankIDLength = map[string]int{"AE": 3, "SA": 2, "DE": 8, "FR": 5, "GB": 4, "BH": 4, "QA": 4, "KW": 4, "OM": 3}

// defaultIBANs are the four test IBANs, registered on every fresh state.
func defaultIBANs() map[string]IBANEntry {
	return map[string]IBANEntry{
		TestIBANInvestBank: {IBAN: TestIBANInvestBank, AccountTitle: "johm*"},
		TestIBANZand:       {IBAN: TestIBANZand, AccountTitle: "Adamz Ahme*"},
		TestIBANZandAli:    {IBAN: TestIBANZandAli, AccountTitle: "ALI AMMA*"},
		TestIBANNoTitle:    {IBAN: TestIBANNoTitle, NoTitle: true},
	}
}

// RegisterIBAN sets how the bank look-up answers for e.IBAN (replacing an earlier registration) until
// Reset, which restores the four test IBANs only. It mirrors POST /_fake/ibans. It fails when e.IBAN
// does not pass ISO 13616 or when Unknown is combined with bank data.
func (s *Server) RegisterIBAN(e IBANEntry) error {
	e.IBAN = vaultspay.NormalizeIBAN(e.IBAN)
	if err := vaultspay.CheckIBAN(e.IBAN); err != nil {
		return fmt.Errorf("vaultspaytest: RegisterIBAN: %w", err)
	}
	if e.Unknown && (e.NoTitle || e.AccountTitle != "" || e.BankName != "" || e.SwiftCode != "" || e.BankCode != "") {
		return fmt.Errorf("vaultspaytest: RegisterIBAN: an unknown IBAN has no bank data")
	}
	if e.NoTitle && e.AccountTitle != "" {
		return fmt.Errorf("vaultspaytest: RegisterIBAN: NoTitle with an AccountTitle")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.ibans[e.IBAN] = e
	return nil
}

// resolveIBANLocked is the bank look-up: the details for iban (title "" when the bank has none), or
// 500 1010 "Invalid IBAN" for an IBAN that fails ISO 13616 or is registered as unknown.
func (s *Server) resolveIBANLocked(iban string) (vaultspay.BankDetails, *apiError) {
	iban = vaultspay.NormalizeIBAN(iban)
	e, registered := s.st.ibans[iban]
	if vaultspay.CheckIBAN(iban) != nil || e.Unknown {
		return vaultspay.BankDetails{}, errBadRequest(http.StatusInternalServerError, vaultspay.MessageInvalidIBAN)
	}
	d := directoryEntry(iban)
	if !registered {
		return d, nil
	}
	switch {
	case e.NoTitle:
		d.AccountTitle = ""
	case e.AccountTitle != "":
		d.AccountTitle = e.AccountTitle
	}
	d.BankName = pickString(e.BankName, d.BankName)
	d.SwiftCode = pickString(e.SwiftCode, d.SwiftCode)
	d.BankCode = pickString(e.BankCode, d.BankCode)
	return d, nil
}

// directoryEntry is the generated answer for a valid IBAN: bank code from the BBAN's bank identifier,
// bank name and SWIFT from knownBanks (UAE) or a test bank named after the code, and a title masked
// like the vendor's examples, all derived from the IBAN alone.
func directoryEntry(iban string) vaultspay.BankDetails {
	cc, bban := iban[:2], iban[4:]
	n, ok := bankIDLength[cc]
	if !ok {
		n = 4
	}
	code := bban[:min(n, len(bban))]
	bank, ok := knownBanks[code]
	if cc != "AE" || !ok {
		bank = testBank{name: "TEST BANK " + cc + " " + code, swift: "TEST" + cc + "2LXXX"}
	}
	return vaultspay.BankDetails{BankCode: code, AccountTitle: generatedTitle(iban), IBAN: iban,
		SwiftCode: bank.swift, BankName: bank.name}
}

var (
	titleFirst = []string{"AHMED", "FATIMA", "OMAR", "LAYLA", "YOUSEF", "MARIAM", "KHALID", "NOOR"}
	titleLast  = []string{"ALMANSOORI", "HASSAN", "KHAN", "RAHMAN", "SALEH", "ZAYED", "NASSER", "IBRAHIM"}
)

// generatedTitle is a deterministic masked account title for iban, e.g. "OMAR HASS*".
func generatedTitle(iban string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(iban))
	v := h.Sum32()
	last := titleLast[(v>>8)%uint32(len(titleLast))]
	return titleFirst[v%uint32(len(titleFirst))] + " " + last[:4] + "*"
}

func pickString(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}
