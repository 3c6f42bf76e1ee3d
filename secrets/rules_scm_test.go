package secrets

func scmCases() []ruleCase {
	tok := checksummed("ghp_", "Zx8QvR2mN5tLw9KpB3cY7hJ4dF6gA1")
	oauth := checksummed("gho_", "GW2oYZVDFnjzpAzafdSiZDxemItp8j")
	app := checksummed("ghs_", "71xu8Zbah8lTPONAm0hQs5Sl6UFrNa")
	refresh := checksummed("ghr_", "tR5eQ10PGsKaRRQxtj8QJsIKRfHsCw")
	return []ruleCase{
		{rule: "github-pat", input: "GITHUB_TOKEN=" + tok, secret: tok},
		{rule: "github-pat", input: `{"token": "` + tok + `"}`, secret: tok},
		// A wrong checksum: a look-alike, not a token.
		{rule: "github-pat", input: "token: ghp_Zx8QvR2mN5tLw9KpB3cY7hJ4dF6gA1aaaaaa"},
		// Too short.
		{rule: "github-pat", input: "ghp_" + tok[4:39]},
		{rule: "github-oauth", input: "access_token=" + oauth + "&scope=repo", secret: oauth},
		// The documentation's example (no valid checksum).
		{rule: "github-oauth", input: "gho_16C7e42F292c6912E7710c838347Ae178B4a"},
		{rule: "github-app-token", input: "GH_TOKEN: " + app, secret: app},
		{rule: "github-app-token", input: "Authorization: token ghs_1234567_eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiAiZ2l0aHViIiwgImF1ZCI6ICJpbnN0YWxsYXRpb24iLCAiZXhwIjogMTc2NzIyNTYwMCwgImlhdCI6IDE3NjcyMjIwMDAsICJhcHAiOiAiMTIzNDU2NyIsICJpbnN0IjogIjg5MDEyMzQ1IiwgInJlcG9zIjogImFsbCIsICJwZXJtIjogImNvbnRlbnRzOndyaXRlLG1ldGFkYXRhOnJlYWQifQ.PIe9eZzWnSgockUlfZhIju4yw8PkQPEOW0rjxEfF72WgufU5WjzYMyq6ipMJuwGVxUrprny-WCqlce-Drr6G-V5CgAsEFLMhLuoZMT5GqnLdgZDAia19KFhP4qZvVorGdnvBTSMfMwXzmGdqk4akfEX2ZV7wi-_N6oZ38j1LRndqkHJ-JHhsJjXOX4eK8F441ibx0cQJ51KmqzpRh0QBNEWyWZeY-WYJtzYWuiJKtP3oF3VcDgdilHk5cBkId5H2IV4P7xaL1umMGwWEtspzoWzqjUJyPUucAd1Hd3U-sm76q7TDNLz5Rl66bZ6LVFxBx5RJjh7zCqT1HtPPVFf7vQ", secret: "ghs_1234567_eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiAiZ2l0aHViIiwgImF1ZCI6ICJpbnN0YWxsYXRpb24iLCAiZXhwIjogMTc2NzIyNTYwMCwgImlhdCI6IDE3NjcyMjIwMDAsICJhcHAiOiAiMTIzNDU2NyIsICJpbnN0IjogIjg5MDEyMzQ1IiwgInJlcG9zIjogImFsbCIsICJwZXJtIjogImNvbnRlbnRzOndyaXRlLG1ldGFkYXRhOnJlYWQifQ.PIe9eZzWnSgockUlfZhIju4yw8PkQPEOW0rjxEfF72WgufU5WjzYMyq6ipMJuwGVxUrprny-WCqlce-Drr6G-V5CgAsEFLMhLuoZMT5GqnLdgZDAia19KFhP4qZvVorGdnvBTSMfMwXzmGdqk4akfEX2ZV7wi-_N6oZ38j1LRndqkHJ-JHhsJjXOX4eK8F441ibx0cQJ51KmqzpRh0QBNEWyWZeY-WYJtzYWuiJKtP3oF3VcDgdilHk5cBkId5H2IV4P7xaL1umMGwWEtspzoWzqjUJyPUucAd1Hd3U-sm76q7TDNLz5Rl66bZ6LVFxBx5RJjh7zCqT1HtPPVFf7vQ"},
		// The JWT's header names no algorithm.
		{rule: "github-app-token", input: "ghs_1234567_eyJub3QiOiJqd3QifQ.eyJhIjoiYiJ9x.c2lnbmF0dXJlLW5vdC1yZWFs"},
		{rule: "github-app-token", input: "ghu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "github-refresh-token", input: `"refresh_token": "ghr_4BhdVwSbqU1C2MEhwe2ZPoKSrrHxbDEknRlF3AJEagvzDG9CrsNF0OUj6jLimw2gWiqzkqMDx37j"`, secret: "ghr_4BhdVwSbqU1C2MEhwe2ZPoKSrrHxbDEknRlF3AJEagvzDG9CrsNF0OUj6jLimw2gWiqzkqMDx37j"},
		{rule: "github-refresh-token", input: "refresh_token=" + refresh, secret: refresh},
		// 36 characters without a valid checksum.
		{rule: "github-refresh-token", input: "ghr_1B4a2e77838347a7E420ce178F2E7c6912E1"},
		// Far too little variety.
		{rule: "github-refresh-token", input: "ghr_abababababababababababababababababababababababababababababababababababababab"},
		{rule: "github-fine-grained-pat", input: "GH_PAT=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", secret: "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"},
		{rule: "github-fine-grained-pat", input: "GH_PAT=github_pat_11ABCDEFG0123456789_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		// Truncated.
		{rule: "github-fine-grained-pat", input: "github_pat_f3hC2WqCfAZvx4TsJyD7JJ_b3Y3NhbWplvr0GUtRHjUP45h9f"},
		{rule: "gitlab-pat", input: "TOKEN=glpat-WfPUOEbyUI0Z3-MOnNgf", secret: "glpat-WfPUOEbyUI0Z3-MOnNgf"},
		// Too short.
		{rule: "gitlab-pat", input: "TOKEN=glpat-WfPUOEbyUI0Z3-MOn"},
		{rule: "gitlab-deploy-token", input: "TOKEN=gldt-u9CRgBCxADYuFi7pVSyp", secret: "gldt-u9CRgBCxADYuFi7pVSyp"},
		// Too short.
		{rule: "gitlab-deploy-token", input: "TOKEN=gldt-u9CRgBCxADYuFi7pV"},
		{rule: "gitlab-ptt", input: "TOKEN=glptt-d38f1f34920fbd01f40072e3cf347862554017cd", secret: "glptt-d38f1f34920fbd01f40072e3cf347862554017cd"},
		// Too short.
		{rule: "gitlab-ptt", input: "TOKEN=glptt-d38f1f34920fbd01f40072e3cf34786255401"},
		{rule: "gitlab-runner-authentication-token", input: "TOKEN=glrt-_YDyrbZawO2_942I1BDQ", secret: "glrt-_YDyrbZawO2_942I1BDQ"},
		// Too short.
		{rule: "gitlab-runner-authentication-token", input: "TOKEN=glrt-_YDyrbZawO2_942I1"},
		{rule: "gitlab-cicd-job-token", input: "TOKEN=glcbt-64_feOZlzopWmdAZDIHk6R7", secret: "glcbt-64_feOZlzopWmdAZDIHk6R7"},
		// Too short.
		{rule: "gitlab-cicd-job-token", input: "TOKEN=glcbt-64_feOZlzopWmdAZDIHk"},
		{rule: "gitlab-scim-token", input: "TOKEN=glsoat-2FGYKh7mBcAkw06vJ-p9", secret: "glsoat-2FGYKh7mBcAkw06vJ-p9"},
		// Too short.
		{rule: "gitlab-scim-token", input: "TOKEN=glsoat-2FGYKh7mBcAkw06vJ"},
		{rule: "gitlab-feed-token", input: "TOKEN=glft-t0E4mG4XWMB85n9MzQff", secret: "glft-t0E4mG4XWMB85n9MzQff"},
		// Too short.
		{rule: "gitlab-feed-token", input: "TOKEN=glft-t0E4mG4XWMB85n9Mz"},
		{rule: "gitlab-incoming-mail-token", input: "TOKEN=glimt-yTO_tnPpCRdghsOjRWjSKiIXv", secret: "glimt-yTO_tnPpCRdghsOjRWjSKiIXv"},
		// Too short.
		{rule: "gitlab-incoming-mail-token", input: "TOKEN=glimt-yTO_tnPpCRdghsOjRWjSKi"},
		{rule: "gitlab-kubernetes-agent-token", input: "TOKEN=glagent-bc-UCz8ZbM1brtspDujy_mLnnsX3dauu29nglYEijIFvIL6-bh", secret: "glagent-bc-UCz8ZbM1brtspDujy_mLnnsX3dauu29nglYEijIFvIL6-bh"},
		// Too short.
		{rule: "gitlab-kubernetes-agent-token", input: "TOKEN=glagent-bc-UCz8ZbM1brtspDujy_mLnnsX3dauu29nglYEijIFvIL6"},
		{rule: "gitlab-rrt", input: "TOKEN=GR1348941jBWHMgs3yCtTP4zDs2B3", secret: "GR1348941jBWHMgs3yCtTP4zDs2B3"},
		// Too short.
		{rule: "gitlab-rrt", input: "TOKEN=GR1348941jBWHMgs3yCtTP4zDs"},
		{rule: "gitlab-oauth-app-secret", input: "TOKEN=gloas-1bfe8c26b715568b9126bef73fecde3b53f79a8afba701070d26d7f79a73aff5", secret: "gloas-1bfe8c26b715568b9126bef73fecde3b53f79a8afba701070d26d7f79a73aff5"},
		// Too short.
		{rule: "gitlab-oauth-app-secret", input: "TOKEN=gloas-1bfe8c26b715568b9126bef73fecde3b53f79a8afba701070d26d7f79a73a"},
		{rule: "gitlab-feature-flag-client-token", input: "TOKEN=glffct-pzqJN346L2k_WxBZsCx4", secret: "glffct-pzqJN346L2k_WxBZsCx4"},
		// Too short.
		{rule: "gitlab-feature-flag-client-token", input: "TOKEN=glffct-pzqJN346L2k_WxBZs"},
		{rule: "gitlab-pat", input: "GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx"},
		// A routable token is not cut to a legacy one.
		{rule: "gitlab-pat", input: "GITLAB_TOKEN=" + "glpat-YzoxCm86MQp1OjJrHhaNx0KIeDQ5MRIU2DOyjxA.1309qbzfh"},
		{rule: "gitlab-pat-routable", input: "GITLAB_TOKEN=glpat-YzoxCm86MQp1OjJrHhaNx0KIeDQ5MRIU2DOyjxA.1309qbzfh", secret: "glpat-YzoxCm86MQp1OjJrHhaNx0KIeDQ5MRIU2DOyjxA.1309qbzfh"},
		{rule: "gitlab-pat-routable", input: "Use glpat-YzoxCm86MQp1OjJrHhaNx0KIeDQ5MRIU2DOyjxA.1309qbzfh.", secret: "glpat-YzoxCm86MQp1OjJrHhaNx0KIeDQ5MRIU2DOyjxA.1309qbzfh"},
		// A wrong checksum.
		{rule: "gitlab-pat-routable", input: "GITLAB_TOKEN=glpat-YzoxCm86MQp1OjJrHhaNx0KIeDQ5MRIU2DOyjxA.1309qbzfb"},
		{rule: "gitlab-deploy-token", input: "CI_DEPLOY_PASSWORD=gldt-YzoxCmc6NGYKbzoxvCPEzWID8vwIDX6hCr5bwhA.130e01uev", secret: "gldt-YzoxCmc6NGYKbzoxvCPEzWID8vwIDX6hCr5bwhA.130e01uev"},
		// A wrong checksum.
		{rule: "gitlab-deploy-token", input: "CI_DEPLOY_PASSWORD=gldt-YzoxCmc6NGYKbzoxvCPEzWID8vwIDX6hCr5bwhA.130e01ueb"},
		{rule: "gitlab-runner-authentication-token-routable", file: "config.toml", input: `token = "glrt-t1_YzoxCm86MQp0OjGtFcdsKhvzqmJIdeB9iLHREA.120p93to1"`, secret: "glrt-t1_YzoxCm86MQp0OjGtFcdsKhvzqmJIdeB9iLHREA.120p93to1"},
		{rule: "gitlab-runner-authentication-token-routable", file: "config.toml", input: `token = "glrt-YzoxCm86MQp0OjMKcDo5esRmMeDUpm3YQEjd5t8W24YQ.1818xoqcl"`, secret: "glrt-YzoxCm86MQp0OjMKcDo5esRmMeDUpm3YQEjd5t8W24YQ.1818xoqcl"},
		// A wrong checksum.
		{rule: "gitlab-runner-authentication-token-routable", file: "config.toml", input: `token = "glrt-t1_YzoxCm86MQp0OjGtFcdsKhvzqmJIdeB9iLHREA.120p93tob"`},
		// A legacy token is the other rule's.
		{rule: "gitlab-runner-authentication-token-routable", file: "config.toml", input: `token = "glrt-_YDyrbZawO2_942I1BDQ"`},
		{rule: "atlassian-api-token", input: "JIRA_API_TOKEN=ATATT3xFfGF0HlxNDKYbElW1KbYuSqWhM0zN43tnRoGFdDhdRxVYoDG3E3HdrEvZGUJ-BhStpmo3PQ4QosECJjJLcvH8890rYobITw2qwqpWk5FTd7CcbCutRte93asebc3dZjAP2-yFhn7mdUKS1o_4tplcA52Tma1Volwhp2rstO16DBybPh=8AF9109F", secret: "ATATT3xFfGF0HlxNDKYbElW1KbYuSqWhM0zN43tnRoGFdDhdRxVYoDG3E3HdrEvZGUJ-BhStpmo3PQ4QosECJjJLcvH8890rYobITw2qwqpWk5FTd7CcbCutRte93asebc3dZjAP2-yFhn7mdUKS1o_4tplcA52Tma1Volwhp2rstO16DBybPh=8AF9109F"},
		// A wrong checksum.
		{rule: "atlassian-api-token", input: "JIRA_API_TOKEN=ATATT3xFfGF0HlxNDKYbElW1KbYuSqWhM0zN43tnRoGFdDhdRxVYoDG3E3HdrEvZGUJ-BhStpmo3PQ4QosECJjJLcvH8890rYobITw2qwqpWk5FTd7CcbCutRte93asebc3dZjAP2-yFhn7mdUKS1o_4tplcA52Tma1Volwhp2rstO16DBybPh=8AF91090"},
		// Truncated.
		{rule: "atlassian-api-token", input: "JIRA_API_TOKEN=ATATT3xFfGF0..."},
		{rule: "bitbucket-app-password", input: "BITBUCKET_APP_PASSWORD=ATBBCBKucJ3R2ONNzB6hxrbaZEnnC43E0A97", secret: "ATBBCBKucJ3R2ONNzB6hxrbaZEnnC43E0A97"},
		// A wrong checksum.
		{rule: "bitbucket-app-password", input: "BITBUCKET_APP_PASSWORD=ATBBCBKucJ3R2ONNzB6hxrbaZEnnC43E0A90"},
		{rule: "bitbucket-app-password", input: "ATBBxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "bitbucket-access-token", input: "BITBUCKET_ACCESS_TOKEN=ATCTT3xFfGN0hYSxMgGlj7KrHsmpN5CsHRLGpFJ2iOUn26_y_yE4dKzZ27CMzFkdBm1TH8EzjEWWr-edEwuEI5cD03exqBvUUcuteD4JLNH-RAKi=5AF79726", secret: "ATCTT3xFfGN0hYSxMgGlj7KrHsmpN5CsHRLGpFJ2iOUn26_y_yE4dKzZ27CMzFkdBm1TH8EzjEWWr-edEwuEI5cD03exqBvUUcuteD4JLNH-RAKi=5AF79726"},
		// A wrong checksum.
		{rule: "bitbucket-access-token", input: "BITBUCKET_ACCESS_TOKEN=ATCTT3xFfGN0hYSxMgGlj7KrHsmpN5CsHRLGpFJ2iOUn26_y_yE4dKzZ27CMzFkdBm1TH8EzjEWWr-edEwuEI5cD03exqBvUUcuteD4JLNH-RAKi=5AF79720"},
		{rule: "bitbucket-data-center-token", input: "Authorization: Bearer BBDC-NzMxODA0MjU2NjEyOqEI77Bfb8kxz/pUEl9S6agOC57D", secret: "BBDC-NzMxODA0MjU2NjEyOqEI77Bfb8kxz/pUEl9S6agOC57D"},
		// Decodes, but not to <number>:<bytes>.
		{rule: "bitbucket-data-center-token", input: "Authorization: Bearer BBDC-bm90LWEtbnVtYmVyOnJhbmRvbS1ieXRlcy1oZXJlLTEyMzQ1"},
		{rule: "bitbucket-data-center-token", input: "BBDC-abc"},
		{rule: "circleci-personal-access-token", input: "CIRCLE_TOKEN=CCIPAT_t02BZuM23tVAOeJzfevA6G_f28f41ec36f2e5fa8b4ecfe5dc94fa78e5fa039c", secret: "CCIPAT_t02BZuM23tVAOeJzfevA6G_f28f41ec36f2e5fa8b4ecfe5dc94fa78e5fa039c"},
		// Truncated.
		{rule: "circleci-personal-access-token", input: "CIRCLE_TOKEN=CCIPAT_t02BZuM23tVAOeJzfevA6G_f28f41ec36"},
		{rule: "circleci-project-token", input: "circle_token: CCIPRJ_EcFxRaeXd5UA0Bjs81qpyL_7edca5b4eec0a0f98b7fd216d63d17418e52d2d0", secret: "CCIPRJ_EcFxRaeXd5UA0Bjs81qpyL_7edca5b4eec0a0f98b7fd216d63d17418e52d2d0"},
		// Upper-case hexadecimal.
		{rule: "circleci-project-token", input: "CCIPRJ_EcFxRaeXd5UA0Bjs81qpyL_7EDCA5B4EEC0A0F98B7FD216D63D17418E52D2D0"},
		{rule: "buildkite-api-token", input: "BUILDKITE_API_TOKEN=bkua_58b3abc4aa0df28d2993a370361fd9eec39ea794", secret: "bkua_58b3abc4aa0df28d2993a370361fd9eec39ea794"},
		{rule: "buildkite-api-token", input: "BUILDKITE_API_TOKEN=bkua_MTA.97344d3bcf7d49a2a09115e67425209ada870573", secret: "bkua_MTA.97344d3bcf7d49a2a09115e67425209ada870573"},
		// Too short.
		{rule: "buildkite-api-token", input: "BUILDKITE_API_TOKEN=bkua_58b3abc4aa0df28d2993a3703"},
		{rule: "harness-api-key", input: "curl -H 'x-api-key: pat.LdFlJzbgbonFlbKEgeV4iF.gzG61K3v7ZWVOkVzIdZ6Tt6W.Sc6rVxpln26PlI1b6s6e' https://app.harness.io/gateway/ng/api/user/currentUser", secret: "pat.LdFlJzbgbonFlbKEgeV4iF.gzG61K3v7ZWVOkVzIdZ6Tt6W.Sc6rVxpln26PlI1b6s6e"},
		{rule: "harness-api-key", file: "parse.py", input: "m = pat.match(line)"},
		{rule: "harness-api-key", input: "pat.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxx"},
		{rule: "octopus-deploy-api-key", input: "OCTOPUS_CLI_API_KEY=API-KLC6KYK1GMR0KNKVBG5BVWJ2S15", secret: "API-KLC6KYK1GMR0KNKVBG5BVWJ2S15"},
		{rule: "octopus-deploy-api-key", input: "octo push --package app.1.0.zip --apiKey API-KLC6KYK1GMR0KNKVBG5BVWJ2S15 --server https://octopus.corp.internal", secret: "API-KLC6KYK1GMR0KNKVBG5BVWJ2S15"},
		// No mention of Octopus.
		{rule: "octopus-deploy-api-key", input: "X-Api-Key: API-KLC6KYK1GMR0KNKVBG5BVWJ2S15"},
		{rule: "octopus-deploy-api-key", input: "OCTOPUS_CLI_API_KEY=API-XXXXXXXXXXXXXXXXXXXXXXXXXX"},
		{rule: "jfrog-identity-token", input: "JFROG_ACCESS_TOKEN=PKtEeXfAiF1cBF8Z3GAgPofwfjvCZGtwMfh7ogTIyma4mr6ISuy0GCqNPrzHRfgr", secret: "PKtEeXfAiF1cBF8Z3GAgPofwfjvCZGtwMfh7ogTIyma4mr6ISuy0GCqNPrzHRfgr"},
		{rule: "jfrog-identity-token", input: "JFROG_URL=https://acme.jfrog.io/artifactory"},
		{rule: "jfrog-identity-token", input: "JFROG_ACCESS_TOKEN=PKtEeXfAiF1cBF8Z3GAgPofwfjvCZGtwMfh7ogTI"},
		{rule: "sonar-api-token", input: "SONAR_TOKEN=squ_d100f0e0134f156f051968cee13242aa2402605e", secret: "squ_d100f0e0134f156f051968cee13242aa2402605e"},
		{rule: "sonar-api-token", input: "mvn sonar:sonar -Dsonar.login=88eb1312427c89aedc8c08e026d8b2ba8ad5e3b4", secret: "88eb1312427c89aedc8c08e026d8b2ba8ad5e3b4"},
		{rule: "sonar-api-token", input: "SONAR_HOST_URL=https://sonarcloud.io"},
		// A commit hash, not a token.
		{rule: "sonar-api-token", input: "commit 88eb1312427c89aedc8c08e026d8b2ba8ad5e3b4 fixes sonar warnings"},
		{rule: "snyk-api-token", input: "SNYK_TOKEN=edb0c811-cc10-9398-b89b-c349bcaf3042", secret: "edb0c811-cc10-9398-b89b-c349bcaf3042"},
		// An org id, not a token.
		{rule: "snyk-api-token", input: "SNYK_ORG_ID=edb0c811-cc10-9398-b89b-c349bcaf3042"},
		{rule: "snyk-api-token", input: "SNYK_TOKEN=${{ secrets.SNYK_TOKEN }}"},
		{rule: "codecov-access-token", input: "CODECOV_TOKEN=8b891e75-3e4e-e2a3-84f0-0b9fd149846d", secret: "8b891e75-3e4e-e2a3-84f0-0b9fd149846d"},
		{rule: "codecov-access-token", input: "CODECOV_TOKEN=00000000-0000-0000-0000-000000000000"},
		{rule: "codecov-access-token", input: "codecov_url: https://codecov.io"},
		{rule: "sourcegraph-access-token", input: "SRC_ACCESS_TOKEN=sgp_5257d7653acaafa9_d88cd671b98f50044af8603f5c1dc860e7527da2", secret: "sgp_5257d7653acaafa9_d88cd671b98f50044af8603f5c1dc860e7527da2"},
		{rule: "sourcegraph-access-token", input: "src login with sgp_local_85bdc443ccb28d23a02357eca511228bd9e1785d", secret: "sgp_local_85bdc443ccb28d23a02357eca511228bd9e1785d"},
		{rule: "sourcegraph-access-token", input: "SOURCEGRAPH_TOKEN=599875c7b2e1336614eba23a9461d28156e9c85e", secret: "599875c7b2e1336614eba23a9461d28156e9c85e"},
		// Too short.
		{rule: "sourcegraph-access-token", input: "sgp_5257d7653acaafa9_d88cd671b"},
		// A commit hash.
		{rule: "sourcegraph-access-token", input: "commit 599875c7b2e1336614eba23a9461d28156e9c85e"},
	}
}
