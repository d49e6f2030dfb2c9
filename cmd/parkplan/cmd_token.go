package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// runToken implements `parkplan token`:
//
//	token create --role planner|reviewer|public [--name N]   print a new token once
//	token list                                                list active tokens (never secrets)
//	token revoke ID                                           revoke a token by its id
//
// --db (default $DATABASE_URL) names the database; pending migrations are
// applied first, so a fresh database can get its first token.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return planner.FieldErrorf("token", "want a subcommand: create, list or revoke")
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("token "+sub, "", stderr)
	dbURL := dbFlag(fs)
	var role, name string
	if sub == "create" {
		fs.StringVar(&role, "role", "", "planner, reviewer or public (required)")
		fs.StringVar(&name, "name", "", "who or what the token is for (shown in logs and created_by)")
	}
	pos, err := parseInterleaved(fs, args) // flags may follow the id
	if err != nil {
		return planner.FieldErrorf("token "+sub, "%v", err)
	}
	open := func() (*data.DB, *data.TokenStore, error) {
		db, err := openMigrated(ctx, *dbURL)
		if err != nil {
			return nil, nil, err
		}
		return db, data.NewTokenStore(db.SQL()), nil
	}
	switch sub {
	case "create":
		if len(pos) > 0 {
			return planner.FieldErrorf("token create", "unexpected argument %q", pos[0])
		}
		r, err := planner.ParseRole("--role", role)
		if err != nil {
			return err
		}
		db, tokens, err := open()
		if err != nil {
			return err
		}
		defer db.Close()
		secret, tok, err := tokens.CreateToken(ctx, r, name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
		fmt.Fprintf(stderr, "token %s (role %s) created; it is shown only this once: send it as Authorization: Bearer <token>\n", tok.ID, tok.Role)
		return nil
	case "list":
		if len(pos) > 0 {
			return planner.FieldErrorf("token list", "unexpected argument %q", pos[0])
		}
		db, tokens, err := open()
		if err != nil {
			return err
		}
		defer db.Close()
		toks, err := tokens.ListTokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tCREATED\tNAME")
		for _, t := range toks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Role, t.CreatedAt.Format(time.RFC3339), t.Name)
		}
		return tw.Flush()
	case "revoke":
		if len(pos) != 1 {
			return planner.FieldErrorf("token revoke", "want one token id (see token list)")
		}
		db, tokens, err := open()
		if err != nil {
			return err
		}
		defer db.Close()
		if err := tokens.RevokeToken(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "token %s revoked\n", pos[0])
		return nil
	}
	return planner.FieldErrorf("token", "unknown subcommand %q (want create, list or revoke)", sub)
}
