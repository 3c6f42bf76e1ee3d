package secrets

import (
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// aiRules find credentials of AI model APIs.
func aiRules() []Rule {
	return []Rule{
		{
			ID:          "openai-api-key",
			Description: "OpenAI API key (user, project or service account)",
			Severity:    result.SeverityHigh,
			// Every OpenAI key carries "T3BlbkFJ", base64 of "OpenAI".
			Keywords: []string{"t3blbkfj"},
			Regex:    `\b(sk-(?:(?:proj|svcacct)-)?[A-Za-z0-9_-]{20,74}T3BlbkFJ[A-Za-z0-9_-]{20,74})\b`,
			// Admin keys are openai-admin-api-key's.
			Validate: func(s string) bool { return !strings.HasPrefix(s, "sk-admin-") },
		},
		{
			ID:          "openai-admin-api-key",
			Description: "OpenAI organization admin API key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"sk-admin-"},
			Regex:       `\b(sk-admin-[A-Za-z0-9_-]{58}T3BlbkFJ[A-Za-z0-9_-]{58})\b`,
			MaxLength:   160,
		},
		{
			ID:          "anthropic-api-key",
			Description: "Anthropic API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"sk-ant-api03-"},
			Regex:       `\b(sk-ant-api03-[A-Za-z0-9_-]{93}AA)(?:[^A-Za-z0-9_-]|$)`,
			Entropy:     4,
			MaxLength:   130,
		},
		{
			ID:          "anthropic-admin-api-key",
			Description: "Anthropic Admin API key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"sk-ant-admin01-"},
			Regex:       `\b(sk-ant-admin01-[A-Za-z0-9_-]{93}AA)(?:[^A-Za-z0-9_-]|$)`,
			Entropy:     4,
			MaxLength:   130,
		},
		{
			ID:          "huggingface-access-token",
			Description: "Hugging Face user access token",
			Severity:    result.SeverityHigh,
			// "hf_" begins many identifiers in ML code (hf_hub_download):
			// windows open at the delimited forms only.
			Keywords:  delimitedKeywords("hf_"),
			Regex:     `\b(hf_[A-Za-z]{34})\b`,
			Entropy:   4,
			MaxLength: 60,
		},
		{
			ID:          "huggingface-organization-api-token",
			Description: "Hugging Face organization API token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"api_org_"},
			Regex:       `\b(api_org_[A-Za-z]{34})\b`,
			Entropy:     4,
			MaxLength:   60,
		},
		{
			ID:          "groq-api-key",
			Description: "Groq API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"gsk_"},
			Regex:       `\b(gsk_[A-Za-z0-9]{52})\b`,
			Entropy:     4,
			MaxLength:   70,
		},
		{
			ID:          "replicate-api-token",
			Description: "Replicate API token",
			Severity:    result.SeverityHigh,
			Keywords:    append(delimitedKeywords("r8_"), "replicate"),
			Regex:       `\b(r8_[A-Za-z0-9_-]{37})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:     4,
			MaxLength:   200,
		},
		{
			ID:          "perplexity-api-key",
			Description: "Perplexity API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"pplx-"},
			Regex:       `\b(pplx-[A-Za-z0-9]{48})\b`,
			Entropy:     4,
			MaxLength:   70,
		},
		{
			ID:          "xai-api-key",
			Description: "xAI (Grok) API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"xai-"},
			Regex:       `\b(xai-[A-Za-z0-9_]{80})\b`,
			Entropy:     4,
			MaxLength:   100,
		},
		{
			ID:          "fireworks-api-key",
			Description: "Fireworks AI API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"fireworks"},
			// The length of fw_ keys is not published: keyed on the name.
			Regex:     vendorAssigned(`fireworks`, `(?P<secret>fw_[A-Za-z0-9]{20,64})`),
			Entropy:   4,
			MaxLength: 200,
		},
		{
			ID:          "langsmith-api-key",
			Description: "LangSmith personal access token or service key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"lsv2_pt_", "lsv2_sk_"},
			Regex:       `\b(lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10})\b`,
			Entropy:     3.5,
			MaxLength:   70,
		},
		{
			ID:          "pinecone-api-key",
			Description: "Pinecone API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"pcsk_"},
			// pcsk_, the key id, an underscore and the secret.
			Regex:     `\b(pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,80})\b`,
			Entropy:   4,
			MaxLength: 110,
		},
		{
			ID:          "cohere-api-token",
			Description: "Cohere API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"cohere", "co_api_key"},
			Regex:       vendorAssigned(`cohere|co_api_key`, `(?P<secret>[A-Za-z0-9]{40})`),
			Entropy:     4,
			MaxLength:   200,
		},
		{
			ID:          "mistral-api-key",
			Description: "Mistral AI API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"mistral"},
			Regex:       vendorAssigned(`mistral`, `(?P<secret>[A-Za-z0-9]{32})`),
			Entropy:     4,
			MaxLength:   200,
		},
		{
			ID:          "deepseek-api-key",
			Description: "DeepSeek API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"deepseek"},
			Regex:       vendorAssigned(`deepseek`, `(?P<secret>sk-[0-9a-f]{32})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "together-api-key",
			Description: "Together AI API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"tgp_v1_"},
			Regex:       `\b(tgp_v1_[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:     4,
			MaxLength:   70,
		},
		{
			ID:          "elevenlabs-api-key",
			Description: "ElevenLabs API key",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"elevenlabs", "eleven_labs", "xi-api-key", "xi_api_key"},
			Regex:       vendorAssigned(`eleven[_.-]?labs|xi[_-]api[_-]key`, `(?P<secret>sk_[0-9a-f]{48}|[0-9a-f]{32})`),
			Entropy:     3,
			MaxLength:   200,
		},
		{
			ID:          "wandb-api-key",
			Description: "Weights & Biases API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"wandb"},
			// 40 hex digits assigned to a name that mentions W&B, or the
			// password of api.wandb.ai in a .netrc.
			Regex: `(?:\bapi\.wandb\.ai\s+login\s+\S+\s+password\s+(?P<secret1>[0-9a-f]{40})\b|` +
				vendorAssigned(`wandb`, `(?P<secret2>[0-9a-f]{40})`) + `)`,
			Entropy:   3.2,
			MaxLength: 200,
		},
		{
			ID:          "cerebras-api-key",
			Description: "Cerebras inference API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"csk-"},
			Regex:       `\b(csk-[a-z0-9]{40,64})\b`,
			Entropy:     4,
			MaxLength:   80,
		},
		{
			ID:          "openrouter-api-key",
			Description: "OpenRouter API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"sk-or-v1-"},
			Regex:       `\b(sk-or-v1-[0-9a-f]{64})\b`,
			Entropy:     3.5,
			MaxLength:   80,
		},
	}
}
