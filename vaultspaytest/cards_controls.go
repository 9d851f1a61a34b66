package vaultspaytest

import (
	"fmt"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// Card Controls (41-cards-controls.md §1–§5, §14.1).

// enrollThreeDS switches the card's 3-D Secure record on, in any status; enrolling an enrolled card
// answers the same (UNKNOWN decided: idempotent). The card status does not change.
func (s *Server) enrollThreeDS(r *request) (any, error) {
	return cardCall(s, r, (*cardRefBody).key, nil,
		func(_ *cardRefBody, c *cardRecord, at string) (any, error) {
			return s.setThreeDSLocked(c, at, true)
		})
}

// removeThreeDS switches it off; removing from a card that is not enrolled answers the same (UNKNOWN
// decided: idempotent).
func (s *Server) removeThreeDS(r *request) (any, error) {
	return cardCall(s, r, (*cardRefBody).key, nil, func(_ *cardRefBody, c *cardRecord, at string) (any, error) {
		return s.setThreeDSLocked(c, at, false)
	})
}

func (s *Server) setThreeDSLocked(c *cardRecord, at string, on bool) (any, error) {
	if err := notReplaced(c, at); err != nil {
		return nil, err
	}
	t := *c.ThreeDSecure
	t.Status = on
	c.ThreeDSecure = &t
	s.touchLocked(c)
	return cardThreeDSWire{CardID: c.ID, CardToken: c.Token, CardStatus: string(c.Status), StatusReason: orNull(c.StatusReason),
		Card3DSecure: t}, nil
}

// cardStatusAnswer is Update Card Status's answer, whose names differ from the other small answers.
type cardStatusAnswer struct {
	ID           vaultspay.ID         `json:"id"`
	Token        vaultspay.CardToken  `json:"token"`
	Status       vaultspay.CardStatus `json:"status"`
	StatusReason string               `json:"statusReason"`
}

// updateCardStatus sets an ACTIVE, BLOCK or FREEZE card to ACTIVE or BLOCK (documented); asking for
// the status the card already has is accepted and only stores the reason (UNKNOWN decided).
func (s *Server) updateCardStatus(r *request) (any, error) {
	return cardCall(s, r, (*cardStatusBody).key,
		func(in *cardStatusBody, bad *checks) {
			bad.require("statusReason", strings.TrimSpace(in.StatusReason) != "")
			oneOf(bad, "cardStatus", vaultspay.CardStatus(in.CardStatus), vaultspay.CardStatusActive, vaultspay.CardStatusBlock)
		},
		func(in *cardStatusBody, c *cardRecord, at string) (any, error) {
			if err := needStatus(c, at, "update-card-status", vaultspay.CardStatusActive, vaultspay.CardStatusBlock,
				vaultspay.CardStatusFreeze); err != nil {
				return nil, err
			}
			s.setStatusLocked(c, vaultspay.CardStatus(in.CardStatus), in.StatusReason)
			return cardStatusAnswer{ID: c.ID, Token: c.Token, Status: c.Status, StatusReason: c.StatusReason}, nil
		})
}

// toggleFreeze flips ACTIVE to FREEZE and FREEZE to ACTIVE; any other status is refused (UNKNOWN
// decided). statusReason, when sent, becomes the card's reason.
func (s *Server) toggleFreeze(r *request) (any, error) {
	return cardCall(s, r, (*freezeBody).key, nil,
		func(in *freezeBody, c *cardRecord, at string) (any, error) {
			if err := needStatus(c, at, "toggle-freeze-card", vaultspay.CardStatusActive, vaultspay.CardStatusFreeze); err != nil {
				return nil, err
			}
			to := vaultspay.CardStatusFreeze
			if c.Status == vaultspay.CardStatusFreeze {
				to = vaultspay.CardStatusActive
			}
			s.setStatusLocked(c, to, deref(in.StatusReason))
			return c.stage(), nil
		})
}

// updateCardAccount links the card to another account of the card's user, in any status but that of a
// replaced card (UNKNOWN decided). The answer's remarks, whose source is UNKNOWN, are the fake's note
// of the change, also stored as the card's remarks.
func (s *Server) updateCardAccount(r *request) (any, error) {
	return cardCall(s, r, func(in *cardAccountBody) cardKey { return byID(vaultspay.ID(in.CardID)) },
		func(in *cardAccountBody, bad *checks) {
			if in.AccountID <= 0 {
				bad.add("accountId", "must be a positive integer")
			}
		},
		func(in *cardAccountBody, c *cardRecord, at string) (any, error) {
			if err := notReplaced(c, at); err != nil {
				return nil, err
			}
			a := s.st.wallets.byID[vaultspay.ID(in.AccountID)]
			switch {
			case a == nil:
				return nil, refuse("accountId", "Account does not exist with this id")
			case a.UserID != c.UserID:
				return nil, refuse("accountId", "Account does not belong to the card's user")
			}
			old := c.Account.AccountID
			s.linkAccountLocked(c, a)
			c.remarks = fmt.Sprintf("Linked account changed from %d to %d", old, a.ID)
			s.touchLocked(c)
			return cardLinkWire{AccountID: a.ID, Remarks: orNull(c.remarks)}, nil
		})
}
