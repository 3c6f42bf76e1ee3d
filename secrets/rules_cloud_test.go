package secrets

func cloudCases() []ruleCase {
	return []ruleCase{
		{rule: "aws-access-token", input: "aws_access_key_id = AKIAZ7QWERTYUIOPASDF", secret: "AKIAZ7QWERTYUIOPASDF"},
		{rule: "aws-access-token", input: "ASIAY34FZKBOKMUTVV7A", secret: "ASIAY34FZKBOKMUTVV7A"},
		// The documentation's example key.
		{rule: "aws-access-token", input: "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"},
		// 0, 1, 8 and 9 are not in the base32 alphabet.
		{rule: "aws-access-token", input: "AKIA0123456789ABCDEF"},
	}
}
