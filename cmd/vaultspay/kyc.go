package main

import (
	"context"
	"flag"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

func kycCommands() []command {
	return []command{
		{name: "kyc get", args: "<userId>", nargs: 1, summary: "show a user's KYC status and record (document numbers masked)", setup: kycGet},
	}
}

func kycGet(*flag.FlagSet) action {
	return func(ctx context.Context, c *cli, ids []vaultspay.ID) error {
		id := ids[0]
		k, err := c.client.KYC.Get(ctx, id)
		if err != nil {
			return err
		}
		k = maskKYC(k)
		fields := []field{{"USER", k.UserID.String()}, {"USER TYPE", string(k.UserType)}, {"STATUS", string(k.Status)},
			{"EMAIL", k.Email}, {"PHONE", strings.TrimSpace(k.CountryCode + " " + k.Phone)}}
		if p := k.PersonalInfo; p != nil {
			dob := ""
			if p.DOB != nil {
				dob = p.DOB.String()
			}
			fields = append(fields, field{"NAME", strings.TrimSpace(p.FirstName + " " + p.LastName)}, field{"DATE OF BIRTH", dob},
				field{"NATIONALITY", p.Nationality}, field{"RESIDENCE", p.CountryOfResidence}, field{"TAX ID", p.TIN.String()},
				field{"PERSONAL INFO", string(p.Status)})
		}
		for _, a := range k.Addresses {
			fields = append(fields, field{"ADDRESS " + string(a.Type),
				strings.Join([]string{a.AddressLine1, a.CityName, a.StateName, a.CountryCode}, ", ")})
		}
		if info := k.IdentificationInfo; info != nil {
			for _, d := range info.Documents {
				fields = append(fields, field{"DOCUMENT", string(d.Type) + " " + d.Number.String() + " " + d.IssuingCountry})
			}
		}
		return c.printRecord(k, fields)
	}
}

// maskKYC returns a copy of k whose document numbers and tax id are masked, so that --json, which
// encodes the SDK's model (documentNumber in clear, as on the wire), cannot print them.
func maskKYC(k *vaultspay.KYC) *vaultspay.KYC {
	out := *k
	if k.PersonalInfo != nil {
		p := *k.PersonalInfo
		p.TIN = vaultspay.TaxID(p.TIN.String()) // masked: last two characters
		out.PersonalInfo = &p
	}
	if k.IdentificationInfo != nil {
		info := *k.IdentificationInfo
		info.Documents = make([]vaultspay.DocumentInfo, len(k.IdentificationInfo.Documents))
		for i, d := range k.IdentificationInfo.Documents {
			d.Number = vaultspay.DocumentNumber(d.Number.String())
			info.Documents[i] = d
		}
		out.IdentificationInfo = &info
	}
	return &out
}
