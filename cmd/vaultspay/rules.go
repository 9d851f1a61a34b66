package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/vaultspay-go/vaultspay"
)

func (a *app) rulesCommand() *cobra.Command {
	return group("rules", "a card's transaction limits and security settings",
		&cobra.Command{Use: "get <cardId>", Short: "show a card's transaction limits and security settings", Args: ids("cardId"),
			RunE: a.withIDs(func(ctx context.Context, ids []vaultspay.ID) error { return a.rulesGet(ctx, ids[0]) })},
		group("set", "change one limit or security setting of a card", a.rulesSetLimit(), a.rulesSetSecurity()))
}

// rulesView is the JSON of rules get.
type rulesView struct {
	Limits   []vaultspay.TransactionLimit `json:"limits"`
	Security []vaultspay.SecuritySetting  `json:"security"`
}

// limitValue prints a limit: money in its currency, or a count.
func limitValue(l *vaultspay.TransactionLimit, v vaultspay.Amount) string {
	if l.LimitType == vaultspay.LimitTypeCount {
		return v.String() + " transactions"
	}
	return formatMoney(v, l.CurrencyCode, -1)
}

func (a *app) rulesGet(ctx context.Context, cardID vaultspay.ID) error {
	c, err := a.sdk()
	if err != nil {
		return err
	}
	var v rulesView
	if v.Limits, err = c.Rules.TransactionLimits(ctx, &vaultspay.TransactionLimitListOptions{CardID: cardID}); err != nil {
		return err
	}
	if v.Security, err = c.Rules.CardSecurity(ctx, cardID); err != nil {
		return err
	}
	var rows [][]string
	for i := range v.Limits {
		l := &v.Limits[i]
		rows = append(rows, []string{"limit", l.ID.String(), string(l.TransactionType), string(l.Frequency) + " " + string(l.Operator),
			limitValue(l, l.Limit), limitValue(l, l.AllowedLimit)})
	}
	for _, s := range v.Security {
		state := "off"
		if s.Enabled {
			state = "on"
		}
		rows = append(rows, []string{"security", s.ID.String(), string(s.TransactionType), s.Title, state, ""})
	}
	return a.printList(v, []string{"RULE", "ID", "TRANSACTION TYPE", "WHAT", "VALUE", "AT MOST"}, rows)
}

func (a *app) rulesSetLimit() *cobra.Command {
	var (
		id    vaultspay.ID
		value string
	)
	cmd := &cobra.Command{Use: "limit <cardId>", Short: "set one transaction limit of a card (ids from rules get)", Args: ids("cardId")}
	cmd.Flags().Var((*idValue)(&id), "id", "the limit's id (required)")
	cmd.Flags().StringVar(&value, "value", "", "the new limit: major units (e.g. 500.00) or a count (required)")
	cmd.RunE = a.withIDs(func(ctx context.Context, ids []vaultspay.ID) error {
		v, err := vaultspay.ParseAmount(value)
		if err != nil {
			return usagef("rules set limit: --value: %v", err)
		}
		c, err := a.sdk()
		if err != nil {
			return err
		}
		limits, err := c.Rules.TransactionLimits(ctx, &vaultspay.TransactionLimitListOptions{CardID: ids[0]})
		if err != nil {
			return err
		}
		var cur *vaultspay.TransactionLimit
		for i := range limits {
			if limits[i].ID == id {
				cur = &limits[i]
			}
		}
		if cur == nil {
			return usagef("rules set limit: card %s has no limit with --id %s (see vaultspay rules get %s)", ids[0], id, ids[0])
		}
		l, err := c.Rules.UpdateTransactionLimit(ctx, &vaultspay.UpdateTransactionLimitRequest{ID: id, TransactionType: cur.TransactionType,
			CardID: ids[0], Value: v, Current: cur})
		if err != nil {
			return err
		}
		return a.printRecord(l, []field{{"ID", l.ID.String()}, {"TRANSACTION TYPE", string(l.TransactionType)},
			{"FREQUENCY", string(l.Frequency)}, {"LIMIT", limitValue(l, l.Limit)}, {"AT MOST", limitValue(l, l.AllowedLimit)}})
	})
	return cmd
}

func (a *app) rulesSetSecurity() *cobra.Command {
	var (
		id      vaultspay.ID
		enabled bool
	)
	cmd := &cobra.Command{Use: "security <cardId>", Short: "switch one security block of a card on or off (ids from rules get)", Args: ids("cardId")}
	cmd.Flags().Var((*idValue)(&id), "id", "the setting's id (required)")
	cmd.Flags().BoolVar(&enabled, "enabled", false, "true switches the block on, false off")
	cmd.RunE = a.withIDs(func(ctx context.Context, ids []vaultspay.ID) error {
		if !cmdFlagChanged(cmd, "enabled") {
			return usagef("rules set security: give --enabled=true or --enabled=false")
		}
		c, err := a.sdk()
		if err != nil {
			return err
		}
		settings, err := c.Rules.CardSecurity(ctx, ids[0])
		if err != nil {
			return err
		}
		var typ vaultspay.RuleTransactionType
		for _, s := range settings {
			if s.ID == id {
				typ = s.TransactionType
			}
		}
		if typ == "" {
			return usagef("rules set security: card %s has no setting with --id %s (see vaultspay rules get %s)", ids[0], id, ids[0])
		}
		s, err := c.Rules.UpdateCardSecurity(ctx, &vaultspay.UpdateCardSecurityRequest{CardID: ids[0], ID: id, TransactionType: typ, Enabled: enabled})
		if err != nil {
			return err
		}
		return a.printRecord(s, []field{{"ID", s.ID.String()}, {"TRANSACTION TYPE", string(s.TransactionType)}, {"TITLE", s.Title},
			{"ENABLED", yesNo(s.Enabled)}})
	})
	return cmd
}

func cmdFlagChanged(cmd *cobra.Command, name string) bool { return cmd.Flags().Changed(name) }
