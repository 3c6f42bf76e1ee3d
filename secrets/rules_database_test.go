package secrets

func databaseCases() []ruleCase {
	return []ruleCase{
		{rule: "database-url-password", input: "DATABASE_URL=postgres://app:S3cr3tPassw0rd@db.internal:5432/app", secret: "S3cr3tPassw0rd"},
		{rule: "database-url-password", input: "mongodb+srv://svc:q8Zt2LmN4vXp@cluster0.ab1cd.mongodb.net/prod", secret: "q8Zt2LmN4vXp"},
		{rule: "database-url-password", input: "postgres://app:${DB_PASSWORD}@db:5432/app"},
		{rule: "database-url-password", input: "redis://localhost:6379/0"},
	}
}
