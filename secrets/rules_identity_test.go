package secrets

import "encoding/base64"

func identityCases() []ruleCase {
	// {"alg":"HS256","typ":"JWT"} . {"sub":"1234567890","name":"Jane","iat":1516239022} . signature
	jwt := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUiLCJpYXQiOjE1MTYyMzkwMjJ9.Qm7xvC8ZtR2mLw9VpX3nB7cY4hJdF6gA1sK5eU0oI2q"
	okta := "00" + sampleToken(sampleURLSafe, 40, "okta")
	auth0 := sampleToken(sampleURLSafe, 64, "auth0")
	clerk := "sk_live_" + sampleToken(base62, 42, "clerk")
	onePassword := "A3-" + sampleToken(sampleUpperAlnum, 6, "1p-1") + "-" + sampleToken(sampleUpperAlnum, 11, "1p-2") + "-" +
		sampleToken(sampleUpperAlnum, 5, "1p-3") + "-" + sampleToken(sampleUpperAlnum, 5, "1p-4") + "-" + sampleToken(sampleUpperAlnum, 5, "1p-5")
	opsPayload := `{"signInAddress":"acme.1password.com","userAuth":{"method":"SRPg-4096","alg":"PBES2g-HS256","iterations":650000,"salt":"` +
		sampleToken(sampleURLSafe, 22, "ops-salt") + `"},"email":"` + sampleToken(sampleLowerAlnum, 12, "ops-email") + `@1passwordserviceaccounts.com","srpX":"` +
		sampleToken(sampleHex, 64, "ops-srp") + `","muk":{"alg":"A256GCM","ext":true,"k":"` + sampleToken(sampleURLSafe, 43, "ops-muk") +
		`","key_ops":["encrypt","decrypt"],"kty":"oct","kid":"mp"},"secretKey":"` + onePassword + `","deviceUuid":"` + sampleToken(sampleLowerAlnum, 26, "ops-dev") + `"}`
	ops := "ops_" + base64.RawStdEncoding.EncodeToString([]byte(opsPayload))
	facebookToken := "EAAG" + sampleToken(base62, 180, "fb-user")
	facebookApp := sampleToken("0123456789", 16, "fb-app-id") + "|" + sampleToken(sampleURLSafe, 32, "fb-app-secret")
	facebookSecret := sampleToken(sampleHex, 32, "fb-secret")
	bearer := "AAAAAAAAAAAAAAAAAAAAA" + sampleToken(base62, 8, "tw-app") + "AAAAAAA" + sampleToken(base62, 20, "tw-1") + "%2B" +
		sampleToken(base62, 10, "tw-2") + "%3D" + sampleToken(base62, 50, "tw-3")
	twitterSecret := sampleToken(base62, 50, "tw-api-secret")
	twitterAccessSecret := sampleToken(base62, 45, "tw-access-secret")
	twitterAccess := sampleToken("0123456789", 19, "tw-user") + "-" + sampleToken(base62, 40, "tw-access")
	linkedin := "WPL_AP1." + sampleToken(base62, 16, "li-1") + "." + sampleToken(base62, 6, "li-2") + "=="
	linkedinOld := sampleToken(base62, 16, "li-old")
	stytch := "secret-live-" + sampleToken(sampleURLSafe, 43, "stytch") + "="
	workos := "sk_" + sampleToken(base62, 64, "workos")
	keycloak := sampleToken(base62, 32, "keycloak")
	return []ruleCase{
		{rule: "jwt", input: "Authorization: Bearer " + jwt, secret: jwt},
		// Not JSON inside.
		{rule: "jwt", input: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJub3QganNvbg.Qm7xvC8ZtR2mLw9VpX3nB7cY4hJdF6gA1sK5eU0oI2q"},

		{rule: "okta-access-token", input: "Authorization: SSWS " + okta, secret: okta},
		{rule: "okta-access-token", input: "OKTA_API_TOKEN=" + okta, secret: okta},
		{rule: "okta-access-token", file: "core-site.xml", input: "<property>\n  <name>okta.token</name>\n  <value>" + okta + "</value>\n</property>", secret: okta},
		{rule: "okta-access-token", input: "OKTA_CLIENT_ID=0oa" + sampleToken(base62, 17, "okta-client")},
		{rule: "okta-access-token", input: "BUILD_ID=" + okta},
		{rule: "okta-access-token", input: "Authorization: SSWS ${OKTA_API_TOKEN}"},
		// "okta" counts at the start of a word only.
		{rule: "okta-access-token", file: "app.yaml", input: "auth:\n  myOktaToken: " + okta, secret: okta, line: 2},
		{rule: "okta-access-token", file: "storage.py", input: "rookTable = " + okta},
		{rule: "okta-access-token", file: "storage.py", input: "BROOKTAILS_CHECKSUM = " + okta},

		{rule: "auth0-client-secret", input: "AUTH0_CLIENT_SECRET=" + auth0, secret: auth0},
		{rule: "auth0-client-secret", input: "AUTH0_CLIENT_ID=" + sampleToken(base62, 32, "auth0-id")},
		{rule: "auth0-client-secret", input: "AUTH0_CLIENT_SECRET=your-auth0-client-secret"},

		{rule: "clerk-secret-key", input: "CLERK_SECRET_KEY=" + clerk, secret: clerk},
		{rule: "clerk-secret-key", input: "CLERK_SECRET_KEY=sk_test_" + sampleToken(base62, 42, "clerk-test")},
		{rule: "clerk-secret-key", input: "CLERK_SECRET_KEY=sk_live_..."},

		{rule: "1password-secret-key", input: "Secret Key: " + onePassword, secret: onePassword},
		{rule: "1password-secret-key", input: "Secret Key: A3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX"},
		{rule: "1password-secret-key", input: "id: 7f3ca3-" + sampleToken(sampleUpperAlnum, 6, "1p-x") + "-" + sampleToken(sampleUpperAlnum, 11, "1p-y") + "-ABCDE-FGHIJ-KLMNO"},

		{rule: "1password-service-account-token", input: "OP_SERVICE_ACCOUNT_TOKEN=" + ops, secret: ops},
		{rule: "1password-service-account-token", input: "OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ" + sampleToken(base62, 300, "ops-bad")},

		{rule: "facebook-page-access-token", input: "FB_ACCESS_TOKEN=" + facebookToken, secret: facebookToken},
		{rule: "facebook-page-access-token", input: "FB_ACCESS_TOKEN=EAAGxxxxxxxx"},
		{rule: "facebook-page-access-token", input: "data:XEAAG" + sampleToken(base62, 180, "fb-embedded")},

		{rule: "facebook-access-token", input: "FACEBOOK_APP_TOKEN=" + facebookApp, secret: facebookApp},
		{rule: "facebook-access-token", input: "FACEBOOK_APP_ID=" + sampleToken("0123456789", 16, "fb-app-id")},

		{rule: "facebook-secret", input: "FACEBOOK_APP_SECRET=" + facebookSecret, secret: facebookSecret},
		{rule: "facebook-secret", input: "FACEBOOK_APP_ID=" + sampleToken("0123456789", 15, "fb-id")},

		{rule: "twitter-bearer-token", input: "TWITTER_BEARER_TOKEN=" + bearer, secret: bearer},
		// Twitter's documentation example.
		{rule: "twitter-bearer-token", input: "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F"},
		// base64 of zero bytes and more: no "=" part.
		{rule: "twitter-bearer-token", input: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + sampleToken(base62, 90, "zeros")},

		{rule: "twitter-api-secret", input: "TWITTER_API_SECRET=" + twitterSecret, secret: twitterSecret},
		{rule: "twitter-api-secret", input: "TWITTER_API_KEY=" + sampleToken(base62, 25, "tw-api-key")},
		{rule: "twitter-access-secret", input: "TWITTER_ACCESS_TOKEN_SECRET=" + twitterAccessSecret, secret: twitterAccessSecret},
		{rule: "twitter-access-secret", input: "TWITTER_ACCESS_TOKEN_SECRET=" + twitterAccessSecret[:30]},
		{rule: "twitter-access-token", input: "TWITTER_ACCESS_TOKEN=" + twitterAccess, secret: twitterAccess},
		{rule: "twitter-access-token", input: "TWITTER_USER_ID=" + sampleToken("0123456789", 19, "tw-user")},

		{rule: "linkedin-client-secret", input: `CLIENT_SECRET = "` + linkedin + `"`, secret: linkedin},
		{rule: "linkedin-client-secret", input: "LINKEDIN_CLIENT_SECRET=" + linkedinOld, secret: linkedinOld},
		{rule: "linkedin-client-secret", input: "LINKEDIN_CLIENT_ID=" + sampleToken(sampleLowerAlnum, 14, "li-id")},
		{rule: "linkedin-client-secret", input: `placeholder="e.g. WPL_AP1.xxxxxxxx..."`},

		{rule: "stytch-project-secret", input: "STYTCH_SECRET=" + stytch, secret: stytch},
		{rule: "stytch-project-secret", input: "STYTCH_SECRET=secret-test-" + sampleToken(sampleURLSafe, 36, "stytch-test")},
		{rule: "stytch-project-secret", input: "STYTCH_SECRET=secret-live-…"},

		{rule: "workos-api-key", input: "WORKOS_API_KEY=" + workos, secret: workos},
		{rule: "workos-api-key", input: "WORKOS_API_KEY=sk_test_" + sampleToken(base62, 60, "workos-test")},
		{rule: "workos-api-key", input: "WORKOS_API_KEY=sk_your_api_key"},

		{rule: "keycloak-client-secret", input: "KEYCLOAK_CLIENT_SECRET=" + keycloak, secret: keycloak},
		{rule: "keycloak-client-secret", input: "KEYCLOAK_REALM=master"},
	}
}
