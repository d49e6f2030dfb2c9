package data

import (
	"fmt"
	"net/url"
	"strings"
)

// ReaderRole is the PostgreSQL role of the server's read-only pool
// (migration 00012): it may connect and SELECT, nothing else, and its
// sessions default to read-only transactions.
const ReaderRole = "parkplan_reader"

// ReaderURL returns dbURL with its user changed to ReaderRole and its
// password set to password ("" drops it: trust or peer authentication, as
// the development cluster of scripts/db.sh uses). dbURL is a postgres://
// URL or a key=value DSN, as lib/pq takes.
func ReaderURL(dbURL, password string) (string, error) {
	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
		u, err := url.Parse(dbURL)
		if err != nil {
			return "", fmt.Errorf("data: database URL: %w", err)
		}
		if password != "" {
			u.User = url.UserPassword(ReaderRole, password)
		} else {
			u.User = url.User(ReaderRole)
		}
		return u.String(), nil
	}
	// key=value DSN: later keys win in lib/pq.
	dsn := strings.TrimSpace(dbURL) + " user=" + ReaderRole
	dsn += " password='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(password) + "'"
	return dsn, nil
}
