package secrets

func identityCases() []ruleCase {
	// {"alg":"HS256","typ":"JWT"} . {"sub":"1234567890","name":"Jane","iat":1516239022} . signature
	jwt := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUiLCJpYXQiOjE1MTYyMzkwMjJ9.Qm7xvC8ZtR2mLw9VpX3nB7cY4hJdF6gA1sK5eU0oI2q"
	return []ruleCase{
		{rule: "jwt", input: "Authorization: Bearer " + jwt, secret: jwt},
		// Not JSON inside.
		{rule: "jwt", input: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJub3QganNvbg.Qm7xvC8ZtR2mLw9VpX3nB7cY4hJdF6gA1sK5eU0oI2q"},
	}
}
