package secrets

import "github.com/shipshape-dev/shipshape/result"

// databaseRules find passwords in database connection strings.
func databaseRules() []Rule {
	return []Rule{
		{
			ID:          "database-url-password",
			Description: "Password in a database connection URL",
			Severity:    result.SeverityHigh,
			Keywords: []string{"postgres://", "postgresql://", "mysql://", "mariadb://", "mongodb://", "mongodb+srv://",
				"redis://", "rediss://", "amqp://", "amqps://", "mssql://", "sqlserver://", "clickhouse://", "cockroachdb://"},
			Regex: `(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb)://[^\s:@/"'<>]*:(?P<secret>[^\s@/"'<>]{4,})@[A-Za-z0-9._\[\]-]+`,
		},
	}
}
