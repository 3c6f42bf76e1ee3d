package secrets

func registryCases() []ruleCase {
	return []ruleCase{
		{rule: "npm-access-token", file: ".npmrc", input: "//registry.npmjs.org/:_authToken=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", secret: "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"},
		{rule: "npm-access-token", input: "NPM_TOKEN=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", secret: "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"},
		{rule: "npm-access-token", input: "npm_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		// A wrong checksum.
		{rule: "npm-access-token", input: "NPM_TOKEN=npm_POCcBEF8m5GkOXhiY5ydVCQkdbDovo1CrPjb"},
		{rule: "pypi-upload-token", file: ".pypirc", input: "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJQEINTYwZThmNGNjOTQ2YjJhNzA1YzgwOGI1ZTBmOGZmYmRhZjk3AAIsWzEsWyJteS1wcm9qZWN0Il1dAAYgFO9soRYkT54BYVQihWcz5sn5DqM2cUGLZ9PDIFrwsXk", secret: "pypi-AgEIcHlwaS5vcmcCJQEINTYwZThmNGNjOTQ2YjJhNzA1YzgwOGI1ZTBmOGZmYmRhZjk3AAIsWzEsWyJteS1wcm9qZWN0Il1dAAYgFO9soRYkT54BYVQihWcz5sn5DqM2cUGLZ9PDIFrwsXk"},
		{rule: "pypi-upload-token", input: "TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmcCJQEINTYwZThmNGNjOTQ2YjJhNzA1YzgwOGI1ZTBmOGZmYmRhZjk3AAIsWzEsWyJteS1wcm9qZWN0Il1dAAYgFO9soRYkT54BYVQihWcz5sn5DqM2cUGLZ9PDIFrwsXk", secret: "pypi-AgEIcHlwaS5vcmcCJQEINTYwZThmNGNjOTQ2YjJhNzA1YzgwOGI1ZTBmOGZmYmRhZjk3AAIsWzEsWyJteS1wcm9qZWN0Il1dAAYgFO9soRYkT54BYVQihWcz5sn5DqM2cUGLZ9PDIFrwsXk"},
		{rule: "pypi-upload-token", file: ".pypirc", input: "password = pypi-AgEIcHlwaS5vcmc..."},
		// Too short.
		{rule: "pypi-upload-token", input: "pypi-AgEIcHlwaS5vcmcINTYwZThmNGNjOTQ"},
		{rule: "rubygems-api-token", file: "credentials", input: "---\n:rubygems_api_key: rubygems_144d3334955d46af783b52901a6ccaccdb251bce79793a67", secret: "rubygems_144d3334955d46af783b52901a6ccaccdb251bce79793a67"},
		// Too short.
		{rule: "rubygems-api-token", input: "GEM_HOST_API_KEY=rubygems_144d3334955d46af783b52901a6ccac"},
		{rule: "rubygems-api-token", input: "GEM_HOST_API_KEY=rubygems_000000000000000000000000000000000000000000000000"},
		{rule: "nuget-api-key", input: "dotnet nuget push app.nupkg --api-key oy2ms2f20qe6su48iq1q0ksy2myvmwautgkq0o0wzah68m --source https://api.nuget.org/v3/index.json", secret: "oy2ms2f20qe6su48iq1q0ksy2myvmwautgkq0o0wzah68m"},
		// Letters outside the positions' alphabets.
		{rule: "nuget-api-key", input: "--api-key oy2zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"},
		// Too short.
		{rule: "nuget-api-key", input: "--api-key oy2ms2f20qe6su48iq1q0ksy2myvmw"},
		{rule: "dockerhub-pat", input: "echo dckr_pat_0dLuQXrxaP2Dd947rclbOCopMXw | docker login -u ci-bot --password-stdin", secret: "dckr_pat_0dLuQXrxaP2Dd947rclbOCopMXw"},
		{rule: "dockerhub-pat", input: "DOCKERHUB_TOKEN=dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		// Too short.
		{rule: "dockerhub-pat", input: "dckr_pat_abc"},
		{rule: "docker-config-auth", file: "config.json", input: "{\n  \"auths\": {\n    \"https://index.docker.io/v1/\": {\n      \"auth\": \"Y2ktYm90Okw4dTh2U3RzaWlPUVp6akJOR0RIVGFzdQ==\"\n    }\n  }\n}", secret: "Y2ktYm90Okw4dTh2U3RzaWlPUVp6akJOR0RIVGFzdQ=="},
		{rule: "docker-config-auth", file: ".dockerconfigjson", input: `{"auths":{"ghcr.io":{"auth":"Y2ktYm90Okw4dTh2U3RzaWlPUVp6akJOR0RIVGFzdQ=="}}}`, secret: "Y2ktYm90Okw4dTh2U3RzaWlPUVp6akJOR0RIVGFzdQ=="},
		// Decodes to text without a colon.
		{rule: "docker-config-auth", input: `{"auth": "bm9jb2xvbmhlcmU="}`},
		// user: with an empty password.
		{rule: "docker-config-auth", input: `{"auth": "dXNlcjo="}`},
		{rule: "crates-io-api-token", file: "credentials.toml", input: "[registry]\ntoken = \"cioiOBqwxUaveuwUgA4YFTX07LoV4Lfk0ah\"", secret: "cioiOBqwxUaveuwUgA4YFTX07LoV4Lfk0ah"},
		{rule: "crates-io-api-token", input: "CARGO_REGISTRY_TOKEN=cioiOBqwxUaveuwUgA4YFTX07LoV4Lfk0ah", secret: "cioiOBqwxUaveuwUgA4YFTX07LoV4Lfk0ah"},
		// Not near a Cargo registry name.
		{rule: "crates-io-api-token", input: "The cioiOBqwxUaveuwUgA4YFTX07LoV4Lfk0ah string is not near a Cargo name."},
		// Too short.
		{rule: "crates-io-api-token", input: "CARGO_REGISTRY_TOKEN=cioiOBqwxUaveuwUgA4Y"},
		{rule: "clojars-api-token", input: "CLOJARS_PASSWORD=CLOJARS_80ad8541c11a795e1d763f588b265b2344421c5b75a1ad69534f07c37e25", secret: "CLOJARS_80ad8541c11a795e1d763f588b265b2344421c5b75a1ad69534f07c37e25"},
		{rule: "clojars-api-token", input: "CLOJARS_USERNAME=ci-bot"},
		// Too short.
		{rule: "clojars-api-token", input: "CLOJARS_80ad8541c11a795e1d763f588b265b23"},
		{rule: "npmrc-auth-token", file: ".npmrc", input: "@acme:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=uurAnSNGKb2bP1JyA8y0uIpZII7VRp42MAchKsLg", secret: "uurAnSNGKb2bP1JyA8y0uIpZII7VRp42MAchKsLg"},
		{rule: "npmrc-auth-token", file: ".yarnrc.yml", input: "npmRegistries:\n  \"https://npm.acme.internal\":\n    npmAuthToken: \"uurAnSNGKb2bP1JyA8y0uIpZII7VRp42MAchKsLg\"", secret: "uurAnSNGKb2bP1JyA8y0uIpZII7VRp42MAchKsLg"},
		{rule: "npmrc-auth-token", file: ".npmrc", input: "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"},
		// A GitHub token is the GitHub rule's.
		{rule: "npmrc-auth-token", file: ".npmrc", input: "//npm.pkg.github.com/:_authToken=" + checksummed("ghp_", "Zx8QvR2mN5tLw9KpB3cY7hJ4dF6gA1")},
		{rule: "npmrc-auth-token", file: ".yarnrc.yml", input: "npmAuthToken: ${NPM_AUTH_TOKEN}"},
		{rule: "npmrc-auth", file: ".npmrc", input: "registry=https://npm.acme.internal/\n_auth=ZGVwbG95OktwcnoyT3FIZEVaOWloMW10eUls\nalways-auth=true", secret: "ZGVwbG95OktwcnoyT3FIZEVaOWloMW10eUls"},
		{rule: "npmrc-auth", file: ".npmrc", input: "//npm.acme.internal/:username=deploy\n//npm.acme.internal/:_password=UFFXanZuRUJYUTNERmZHQXJh", secret: "UFFXanZuRUJYUTNERmZHQXJh"},
		// Not an npm setting.
		{rule: "npmrc-auth", file: ".env", input: "DB_PASSWORD=Xk9mQ2vL8pZw"},
		{rule: "npmrc-auth", file: ".npmrc", input: "_auth=${NPM_AUTH}"},
		{rule: "hex-api-key", input: "HEX_API_KEY=3d006459185d401ce257ad4f2b57f63d", secret: "3d006459185d401ce257ad4f2b57f63d"},
		{rule: "hex-api-key", input: "HEX_API_KEY: ${{ secrets.HEX_API_KEY }}"},
		// Too short.
		{rule: "hex-api-key", input: "HEX_API_KEY=3d006459185d401ce257"},
		{rule: "private-packagist-token", input: "composer config --global --auth http-basic.repo.packagist.com ci packagist_uut_654f75852777dc278aaf6301d1a619588096b35bc4986e10b742c0bac7422da16008", secret: "packagist_uut_654f75852777dc278aaf6301d1a619588096b35bc4986e10b742c0bac7422da16008"},
		// A wrong checksum.
		{rule: "private-packagist-token", input: "COMPOSER_AUTH_TOKEN=packagist_uut_654f75852777dc278aaf6301d1a619588096b35bc4986e10b742c0bac7422da16000"},
		// Too short.
		{rule: "private-packagist-token", input: "packagist_uut_654f75852777dc278aaf6301d1a619588096b35bc4986e"},
		{rule: "artifactory-api-key", input: "ARTIFACTORY_API_KEY=AKCp11BDELdGmy4f0R7gR5iskNVRZuOnZvfGKjMp7HXF4x2EHKd6HuJddFDSgSX1clG4nO7l1", secret: "AKCp11BDELdGmy4f0R7gR5iskNVRZuOnZvfGKjMp7HXF4x2EHKd6HuJddFDSgSX1clG4nO7l1"},
		// Too short.
		{rule: "artifactory-api-key", input: "AKCp11BDELdGmy4f0R7gR5iskNVRZuOnZvfGKjMp"},
		{rule: "artifactory-api-key", input: "ARTIFACTORY_API_KEY=AKCpXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"},
		{rule: "artifactory-reference-token", input: "JFROG_ACCESS_TOKEN=cmVmdGtuOjAxOjE3MzU2ODk2MDA6SVZteXZwalNSb3htS1dGY2lZeHR0NndJUG5E", secret: "cmVmdGtuOjAxOjE3MzU2ODk2MDA6SVZteXZwalNSb3htS1dGY2lZeHR0NndJUG5E"},
		// Too short.
		{rule: "artifactory-reference-token", input: "cmVmdGtuOjAxOjE3MzU2ODk2MDA6SV"},
		{rule: "artifactory-reference-token", input: "cmVmdGtuOjAxOjAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{rule: "quay-robot-token", input: "QUAY_ROBOT_TOKEN=ER35VFBDFI0M1BBHUNNGA1SLISL0GTL0YGER7TQKRHCEQ4ZIS4N6T2Q6QL3SJMV6", secret: "ER35VFBDFI0M1BBHUNNGA1SLISL0GTL0YGER7TQKRHCEQ4ZIS4N6T2Q6QL3SJMV6"},
		{rule: "quay-robot-token", input: `docker login -u="acme+deployer" -p="ER35VFBDFI0M1BBHUNNGA1SLISL0GTL0YGER7TQKRHCEQ4ZIS4N6T2Q6QL3SJMV6" quay.io`, secret: "ER35VFBDFI0M1BBHUNNGA1SLISL0GTL0YGER7TQKRHCEQ4ZIS4N6T2Q6QL3SJMV6"},
		{rule: "quay-robot-token", input: "QUAY_ROBOT_TOKEN=${{ secrets.QUAY_ROBOT_TOKEN }}"},
		// No mention of Quay.
		{rule: "quay-robot-token", input: `docker login -u="acme+deployer" -p="ER35VFBDFI0M1BBHUNNGA1SLISL0GTL0YGER7TQKRHCEQ4ZIS4N6T2Q6QL3SJMV6" registry.internal`},
		{rule: "nuget-config-password", file: "NuGet.config", input: "<packageSourceCredentials>\n  <AcmeFeed>\n    <add key=\"Username\" value=\"ci\" />\n    <add key=\"ClearTextPassword\" value=\"G%Tj9TtI0hpA1sBswD\" />\n  </AcmeFeed>\n</packageSourceCredentials>", secret: "G%Tj9TtI0hpA1sBswD"},
		{rule: "nuget-config-password", file: "NuGet.config", input: `<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />`},
		// The passwords of NuGet's documentation are public.
		{rule: "", file: "NuGet.Config", input: "<packageSourceCredentials>\n  <Contoso>\n    <add key=\"Username\" value=\"user@contoso.com\" />\n    <add key=\"ClearTextPassword\" value=\"33f!!lloppa\" />\n  </Contoso>"},
		{rule: "", file: "nuget.config", input: `    <add key="ClearTextPassword" value="hal+9ooo_da!sY" />`},
		{rule: "nuget-config-password", file: "NuGet.config", input: `<add key="ClearTextPassword" value="<password>" />`},
		// user:pass
		{rule: "docker-config-auth", file: "config.json", input: `{"auths": {"registry.invalid": {"auth": "dXNlcjpwYXNz"}}}`},
		// username:password
		{rule: "docker-config-auth", file: "config.json", input: `{"auths": {"registry.invalid": {"auth": "dXNlcm5hbWU6cGFzc3dvcmQ="}}}`},
		// Documentation's placeholder: too short.
		{rule: "npmrc-auth-token", file: ".npmrc", input: "//registry.npmjs.org/:_authToken=MYTOKEN1"},
	}
}
