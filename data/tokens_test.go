package data_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

func testTokens(t *testing.T, db *data.DB) {
	ctx := context.Background()
	ts := data.NewTokenStore(db.SQL())
	secret, tok, err := ts.CreateToken(ctx, planner.RoleReviewer, "bureau")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "pp_"+tok.ID+"_") || len(secret) < 40 {
		t.Fatalf("token %q (id %s)", secret, tok.ID)
	}
	got, err := ts.Authenticate(ctx, secret)
	if err != nil || got.Role != planner.RoleReviewer || got.Name != "bureau" || got.ID != tok.ID {
		t.Fatalf("authenticate: %+v, %v", got, err)
	}
	// The table keeps only the hash.
	var stored []byte
	if err := db.SQL().QueryRowContext(ctx, `SELECT hash FROM api_token WHERE id = $1`, tok.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), secret[len(secret)-20:]) || len(stored) != 32 {
		t.Errorf("stored %d bytes that contain the secret", len(stored))
	}
	flip := []byte(secret)
	flip[len(flip)-1] ^= 1
	for _, tc := range []struct{ name, token string }{
		{"empty", ""},
		{"no prefix", secret[3:]},
		{"wrong secret", string(flip)},
		{"unknown id", "pp_0123456789abcdef_" + secret[len("pp_")+17:]},
		{"upper-case id", "pp_" + strings.ToUpper(tok.ID) + secret[3+16:]},
		{"too long", secret + strings.Repeat("x", 200)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ts.Authenticate(ctx, tc.token)
			wantCode(t, tc.name, err, planner.EUNAUTHORIZED)
		})
	}
	_, _, err = ts.CreateToken(ctx, planner.Role("admin"), "")
	wantCode(t, "unknown role", err, planner.EINVALID)

	list, err := ts.ListTokens(ctx)
	if err != nil || len(list) != 1 || list[0].ID != tok.ID {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if err := ts.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = ts.Authenticate(ctx, secret)
	wantCode(t, "revoked", err, planner.EUNAUTHORIZED)
	wantCode(t, "revoke twice", ts.RevokeToken(ctx, tok.ID), planner.ENOTFOUND)
}

// testReaderRoleCannotWrite connects as parkplan_reader (migration 00012)
// and checks it reads scenarios but can neither write nor read token hashes.
func testReaderRoleCannotWrite(t *testing.T, db *data.DB, dbURL string) {
	ctx := context.Background()
	st := data.NewScenarioStore(db.SQL())
	var before int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM scenario`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SavePlan(ctx, testScenario("Readable"), testPlan("Readable", 2)); err != nil {
		t.Fatal(err)
	}
	readerURL, err := data.ReaderURL(dbURL, "")
	if err != nil {
		t.Fatal(err)
	}
	rdb, err := data.Open(ctx, readerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	var user string
	if err := rdb.SQL().QueryRowContext(ctx, `SELECT current_user`).Scan(&user); err != nil || user != data.ReaderRole {
		t.Fatalf("connected as %q, %v", user, err)
	}
	rec, err := data.NewScenarioStore(rdb.SQL()).FindScenario(ctx, "readable")
	if err != nil || len(rec.Plan.Parks) != 2 {
		t.Fatalf("reader cannot read a scenario: %v", err)
	}
	for _, tc := range []struct{ name, sql string }{
		{"insert", `INSERT INTO scenario (id, name, spec) VALUES ('x', 'x', '{}')`},
		{"update", `UPDATE scenario SET published = true`},
		{"delete", `DELETE FROM plan_park`},
		{"create", `CREATE TABLE sneaky (a int)`},
		{"tokens", `SELECT count(*) FROM api_token`},
		{"read-only off", `SET default_transaction_read_only = off; INSERT INTO scenario (id, name, spec) VALUES ('y', 'y', '{}')`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if strings.HasPrefix(tc.sql, "SELECT") {
				var n int
				err = rdb.SQL().QueryRowContext(ctx, tc.sql).Scan(&n)
			} else {
				_, err = rdb.SQL().ExecContext(ctx, tc.sql)
			}
			if err == nil {
				t.Fatalf("the reader role ran %q", tc.sql)
			}
			if !strings.Contains(err.Error(), "permission denied") && !strings.Contains(err.Error(), "read-only") {
				t.Errorf("%q failed for another reason: %v", tc.sql, err)
			}
		})
	}
	// Nothing changed.
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM scenario`).Scan(&n); err != nil || n != before+1 {
		t.Errorf("scenarios: %d (was %d before the save), %v", n, before, err)
	}
}
