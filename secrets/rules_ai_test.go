package secrets

func aiCases() []ruleCase {
	key := "sk-proj-Q7mZx2LpV9rT5wYb7NcH1fG4T3BlbkFJs6eU0oIk3Jd8QmZx2LpV9r"
	svc := "sk-svcacct-" + sampleToken(sampleURLSafe, 58, "svcacct-1") + "T3BlbkFJ" + sampleToken(sampleURLSafe, 58, "svcacct-2")
	admin := "sk-admin-" + sampleToken(sampleURLSafe, 58, "admin-1") + "T3BlbkFJ" + sampleToken(sampleURLSafe, 58, "admin-2")
	anthropic := "sk-ant-api03-" + sampleToken(sampleURLSafe, 93, "anthropic") + "AA"
	anthropicAdmin := "sk-ant-admin01-" + sampleToken(sampleURLSafe, 93, "anthropic-admin") + "AA"
	hf := "hf_" + sampleToken(sampleLetters, 34, "hf")
	hfOrg := "api_org_" + sampleToken(sampleLetters, 34, "hf-org")
	groq := "gsk_" + sampleToken(base62, 52, "groq")
	replicate := "r8_" + sampleToken(sampleURLSafe, 37, "replicate")
	pplx := "pplx-" + sampleToken(base62, 48, "pplx")
	xai := "xai-" + sampleToken(base62+"_", 80, "xai")
	fireworks := "fw_" + sampleToken(base62, 24, "fireworks")
	langsmith := "lsv2_pt_" + sampleToken(sampleHex, 32, "ls-1") + "_" + sampleToken(sampleHex, 10, "ls-2")
	langsmithService := "lsv2_sk_" + sampleToken(sampleHex, 32, "ls-3") + "_" + sampleToken(sampleHex, 10, "ls-4")
	pinecone := "pcsk_" + sampleToken(base62, 6, "pc-id") + "_" + sampleToken(base62, 63, "pc-secret")
	cohere := sampleToken(base62, 40, "cohere")
	mistral := sampleToken(base62, 32, "mistral")
	deepseek := "sk-" + sampleToken(sampleHex, 32, "deepseek")
	together := "tgp_v1_" + sampleToken(sampleURLSafe, 43, "together")
	elevenlabs := "sk_" + sampleToken(sampleHex, 48, "elevenlabs")
	wandb := sampleToken(sampleHex, 40, "wandb")
	cerebras := "csk-" + sampleToken(sampleLowerAlnum, 48, "cerebras")
	openrouter := "sk-or-v1-" + sampleToken(sampleHex, 64, "openrouter")
	return []ruleCase{
		{rule: "openai-api-key", input: `OPENAI_API_KEY="` + key + `"`, secret: key},
		{rule: "openai-api-key", input: "OPENAI_API_KEY=" + svc, secret: svc},
		{rule: "openai-api-key", input: `OPENAI_API_KEY="sk-proj-your-key-here"`},
		// Admin keys are reported by their own rule only.
		{rule: "openai-api-key", input: "OPENAI_ADMIN_KEY=" + admin},

		{rule: "openai-admin-api-key", input: "OPENAI_ADMIN_KEY=" + admin, secret: admin},
		{rule: "openai-admin-api-key", input: "OPENAI_ADMIN_KEY=sk-admin-" + sampleToken(sampleURLSafe, 40, "admin-short") + "T3BlbkFJ" + sampleToken(sampleURLSafe, 40, "admin-short-2")},

		{rule: "anthropic-api-key", input: "ANTHROPIC_API_KEY=" + anthropic, secret: anthropic},
		{rule: "anthropic-api-key", input: "ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxx"},
		{rule: "anthropic-api-key", input: "ANTHROPIC_API_KEY=" + anthropic[:len(anthropic)-2] + "AB"},
		{rule: "anthropic-admin-api-key", input: "ANTHROPIC_ADMIN_KEY=" + anthropicAdmin, secret: anthropicAdmin},
		{rule: "anthropic-admin-api-key", input: "ANTHROPIC_ADMIN_KEY=sk-ant-admin01-..."},

		{rule: "huggingface-access-token", input: "HF_TOKEN=" + hf, secret: hf},
		{rule: "huggingface-access-token", file: "train.py", input: `login(token="` + hf + `")`, secret: hf},
		{rule: "huggingface-access-token", file: "train.py", input: "path = hf_hub_download(repo_id=repo, filename=name)"},
		{rule: "huggingface-access-token", input: "HF_TOKEN=hf_" + sampleToken(base62, 34, "hf-digits")},
		{rule: "huggingface-organization-api-token", input: "HF_ORG_TOKEN=" + hfOrg, secret: hfOrg},
		{rule: "huggingface-organization-api-token", input: "HF_ORG_TOKEN=api_org_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "groq-api-key", input: "GROQ_API_KEY=" + groq, secret: groq},
		{rule: "groq-api-key", input: "GROQ_API_KEY=gsk_your_groq_api_key_here"},

		{rule: "replicate-api-token", input: "REPLICATE_API_TOKEN=" + replicate, secret: replicate},
		{rule: "replicate-api-token", input: "REPLICATE_API_TOKEN=r8_" + sampleToken(base62, 20, "r8-short")},
		{rule: "replicate-api-token", input: "model_r8_" + sampleToken(base62, 37, "r8-identifier") + " = 1"},

		{rule: "perplexity-api-key", input: "PERPLEXITY_API_KEY=" + pplx, secret: pplx},
		{rule: "perplexity-api-key", input: "PERPLEXITY_API_KEY=pplx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "xai-api-key", input: "XAI_API_KEY=" + xai, secret: xai},
		{rule: "xai-api-key", input: "pip install xai-sdk"},

		{rule: "fireworks-api-key", input: "FIREWORKS_API_KEY=" + fireworks, secret: fireworks},
		{rule: "fireworks-api-key", input: "FIREWORKS_API_KEY=fw_..."},
		{rule: "fireworks-api-key", input: "KEY=" + fireworks},

		{rule: "langsmith-api-key", input: "LANGSMITH_API_KEY=" + langsmith, secret: langsmith},
		{rule: "langsmith-api-key", input: "LANGCHAIN_API_KEY=" + langsmithService, secret: langsmithService},
		{rule: "langsmith-api-key", input: "LANGSMITH_API_KEY=lsv2_pt_..."},

		{rule: "pinecone-api-key", input: "PINECONE_API_KEY=" + pinecone, secret: pinecone},
		{rule: "pinecone-api-key", input: "PINECONE_API_KEY=pcsk_xxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "cohere-api-token", input: "COHERE_API_KEY=" + cohere, secret: cohere},
		{rule: "cohere-api-token", input: "CO_API_KEY=" + cohere, secret: cohere},
		{rule: "cohere-api-token", input: "coherence_threshold = 0.875"},

		{rule: "mistral-api-key", input: "MISTRAL_API_KEY=" + mistral, secret: mistral},
		{rule: "mistral-api-key", input: "MISTRAL_MODEL=mistral-large-latest"},

		{rule: "deepseek-api-key", input: "DEEPSEEK_API_KEY=" + deepseek, secret: deepseek},
		{rule: "deepseek-api-key", input: "DEEPSEEK_API_KEY=sk-..."},

		{rule: "together-api-key", input: "TOGETHER_API_KEY=" + together, secret: together},
		{rule: "together-api-key", input: "TOGETHER_API_KEY=tgp_v1_your_key_here"},

		{rule: "elevenlabs-api-key", input: "ELEVENLABS_API_KEY=" + elevenlabs, secret: elevenlabs},
		{rule: "elevenlabs-api-key", input: `headers = {"xi-api-key": "` + elevenlabs + `"}`, secret: elevenlabs},
		{rule: "elevenlabs-api-key", input: "ELEVENLABS_VOICE_ID=21m00Tcm4TlvDq8ikWAM"},

		{rule: "wandb-api-key", input: "WANDB_API_KEY=" + wandb, secret: wandb},
		{rule: "wandb-api-key", file: ".netrc", input: "machine api.wandb.ai\n  login user\n  password " + wandb, secret: wandb},
		{rule: "wandb-api-key", input: "WANDB_PROJECT=my-project"},

		{rule: "cerebras-api-key", input: "CEREBRAS_API_KEY=" + cerebras, secret: cerebras},
		{rule: "cerebras-api-key", input: "CEREBRAS_API_KEY=csk-..."},

		{rule: "openrouter-api-key", input: "OPENROUTER_API_KEY=" + openrouter, secret: openrouter},
		{rule: "openrouter-api-key", input: "OPENROUTER_API_KEY=sk-or-v1-<redacted>"},
	}
}
