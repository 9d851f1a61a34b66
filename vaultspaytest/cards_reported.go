package vaultspaytest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// Reported cards (41-cards-controls.md §6–§11, §14.2). A report is REPORTED, review makes it REVIEWED
// (40-cards-issuance.md §20), and replace, renew or decline settle it: the report keeps status
// REVIEWED (no settled status is defined), stops being the card's open report and takes the settling
// call's remarks. One open report per card.

// reportIssue opens a report on an issued card: PENDING_VERIFICATION, ACTIVE, FREEZE or BLOCK
// (UNKNOWN decided). The card status does not change; the reason, any text, becomes the card's
// statusReason (41 §B.0).
func (s *Server) reportIssue(r *request) (any, error) {
	return cardCall(s, r, (*reportBody).key,
		func(in *reportBody, bad *checks) {
			bad.require("statusReason", strings.TrimSpace(in.StatusReason) != "")
		},
		func(in *reportBody, c *cardRecord, at string) (any, error) {
			if err := needStatus(c, at, "report-card-issue", vaultspay.CardStatusPendingVerification,
				vaultspay.CardStatusActive, vaultspay.CardStatusFreeze, vaultspay.CardStatusBlock); err != nil {
				return nil, err
			}
			if c.report != nil {
				return nil, refuse(at, "Card already has an open report (%d)", c.report.ID)
			}
			cs := &s.st.cards
			cs.nextReport++
			now := s.nowLocked().UTC()
			rep := &reportRecord{vaultspay.ReportedIssue{ID: cs.nextReport, CardID: c.ID, CardToken: c.Token,
				Status: vaultspay.ReportedIssueStatusReported, StatusReason: vaultspay.CardReportReason(in.StatusReason), Remarks: deref(in.Remarks),
				CreatedAt: &vaultspay.Time{Time: now}, UpdatedAt: &vaultspay.Time{Time: now}}}
			cs.reports = append(cs.reports, rep)
			c.report = rep
			c.StatusReason = in.StatusReason
			s.touchLocked(c)
			return rep.wire(), nil
		})
}

// reviewReport marks the card's open report REVIEWED; a report already reviewed is refused.
func (s *Server) reviewReport(r *request) (any, error) {
	return cardCall(s, r, (*cardRemarksBody).key, nil,
		func(in *cardRemarksBody, c *cardRecord, at string) (any, error) {
			rep := c.report
			switch {
			case rep == nil:
				return nil, refuse(at, "Card has no open report; report it with report-card-issue first")
			case rep.Status != vaultspay.ReportedIssueStatusReported:
				return nil, refuse(at, "Report %d is already %s", rep.ID, rep.Status)
			}
			rep.Status = vaultspay.ReportedIssueStatusReviewed
			s.noteReportLocked(rep, in.Remarks)
			return rep.wire(), nil
		})
}

// noteReportLocked stores remarks (when sent) and the change time on a report.
func (s *Server) noteReportLocked(rep *reportRecord, remarks *string) {
	if remarks != nil {
		rep.Remarks = *remarks
	}
	rep.UpdatedAt = &vaultspay.Time{Time: s.nowLocked().UTC()}
}

// settlement is the card's open report when it is REVIEWED, the state renew, replace and decline need.
func settlement(c *cardRecord, at, action string) (*reportRecord, error) {
	rep := c.report
	switch {
	case rep == nil:
		return nil, refuse(at, "Card has no open report; %s needs a reviewed report", action)
	case rep.Status != vaultspay.ReportedIssueStatusReviewed:
		return nil, refuse(at, "Report %d is %s; %s needs it REVIEWED", rep.ID, rep.Status, action)
	}
	return rep, nil
}

// reportedKey is the card of a CardIDRemarks body: cardId is required even when cardToken is sent.
func reportedKey(in *cardRemarksBody) cardKey {
	k := in.key()
	k.idOnly = true
	return k
}

// replaceCard and renewCard issue a NEW card of the same type, tier, account, name and address in
// ISSUANCE_IN_PROGRESS (a PHYSICAL one keeps the PIN and continues at update-card-manufacturing). The
// original is set to BLOCK for good (UNKNOWN decided for both calls; §20 for replace).
func (s *Server) replaceCard(r *request) (any, error) {
	return cardCall(s, r, reportedKey, nil, func(in *cardRemarksBody, c *cardRecord, at string) (any, error) {
		return s.reissueLocked(c, at, "replace-card", "Card replace successfully!", in.Remarks)
	})
}

func (s *Server) renewCard(r *request) (any, error) {
	return cardCall(s, r, reportedKey, nil, func(in *cardRemarksBody, c *cardRecord, at string) (any, error) {
		return s.reissueLocked(c, at, "renew-card", "Card renew successfully!", in.Remarks)
	})
}

func (s *Server) reissueLocked(c *cardRecord, at, action, message string, remarks *string) (any, error) {
	rep, err := settlement(c, at, action)
	if err != nil {
		return nil, err
	}
	tier, _ := cardTierByID(c.CardTier.ID)
	n := s.issueCardLocked(s.userLocked(c.UserID), s.st.wallets.byID[c.Account.AccountID], tier, c.CardType, c.EmbossName,
		c.address, vaultspay.CardStatusIssuanceInProgress, fmt.Sprintf("Issued by %s for card %d", action, c.ID))
	if c.CardType == vaultspay.CardTypePhysical {
		n.pin, n.PINSet = c.pin, c.PINSet
	}
	s.setStatusLocked(c, vaultspay.CardStatusBlock, "")
	c.replacedBy, c.report = n.ID, nil
	s.noteReportLocked(rep, remarks)
	return reissueWire{CardID: n.ID, CardToken: n.Token, Status: string(n.Status), Message: message}, nil
}

// declineCard settles the report without a new card: the card becomes FREEZE (from any status) with
// the reason it was reported with, and the remarks are stored (documented).
func (s *Server) declineCard(r *request) (any, error) {
	return cardCall(s, r, reportedKey, nil, func(in *cardRemarksBody, c *cardRecord, at string) (any, error) {
		rep, err := settlement(c, at, "decline-card")
		if err != nil {
			return nil, err
		}
		c.remarks = deref(in.Remarks)
		s.setStatusLocked(c, vaultspay.CardStatusFreeze, string(rep.StatusReason))
		c.report = nil
		s.noteReportLocked(rep, in.Remarks)
		return cardDeclineWire{CardID: c.ID, CardToken: c.Token, CardStatus: string(c.Status), StatusReason: orNull(c.StatusReason),
			Remarks: orNull(c.remarks)}, nil
	})
}

// listReportedIssues answers reports newest first, filtered by cardId and status, paged like every
// list (query parameters of §20).
func (s *Server) listReportedIssues(r *request) (any, error) {
	q := r.URL.Query()
	var bad checks
	cardID := queryID(q, "cardId", &bad)
	if err := bad.err(); err != nil {
		return nil, err
	}
	status := vaultspay.ReportedIssueStatus(q.Get("status"))
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []reportWire
	for _, rep := range slices.Backward(s.st.cards.reports) {
		if cardID != 0 && rep.CardID != cardID || status != "" && rep.Status != status {
			continue
		}
		out = append(out, rep.wire())
	}
	return paginate(r, out)
}
