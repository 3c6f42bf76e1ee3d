package secrets

import (
	"strings"

	"github.com/shipshape-dev/shipshape/result"
)

// commerceRules find credentials of payment and commerce services.
func commerceRules() []Rule {
	uuid := `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	return []Rule{
		{
			ID:          "stripe-access-token",
			Description: "Stripe live secret or restricted key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"sk_live_", "rk_live_"},
			Regex:       `\b((?:sk|rk)_live_[0-9A-Za-z]{24,247})\b`,
			Allowlists: []Allowlist{{
				Description: "Clerk secret keys share the sk_live_ prefix (see clerk-secret-key)",
				Regexes:     []string{`(?i)clerk`},
				RegexTarget: TargetLine,
			}},
		},
		{
			ID:          "stripe-webhook-secret",
			Description: "Stripe webhook signing secret (also the Svix whsec_ form)",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"whsec_"},
			// Stripe's are 32 base62 characters (64 hex from the CLI);
			// Svix's are base64.
			Regex:     `\b(whsec_[A-Za-z0-9+/]{32,88}={0,2})(?:[^A-Za-z0-9+/=]|$)`,
			Entropy:   3.5,
			MaxLength: 120,
		},
		{
			ID:          "square-access-token",
			Description: "Square access token",
			Severity:    result.SeverityCritical,
			Keywords:    append([]string{"sq0atp-"}, delimitedKeywords("eaaa")...),
			// EAAA and 60 characters, or the older sq0atp- and 22.
			Regex:     `\b(EAAA[A-Za-z0-9_+=-]{60}|sq0atp-[A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_+=-]|$)`,
			Entropy:   3.5,
			MaxLength: 100,
		},
		{
			ID:          "square-secret",
			Description: "Square OAuth application secret",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"sq0csp-"},
			Regex:       `\b(sq0csp-[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)`,
			Entropy:     3.5,
			MaxLength:   80,
		},
		{
			ID:          "braintree-access-token",
			Description: "PayPal Braintree production access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"access_token$production$"},
			Regex:       `\b(access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})\b`,
			MaxLength:   100,
		},
		{
			ID:          "adyen-api-key",
			Description: "Adyen API key",
			Severity:    result.SeverityCritical,
			// "AQE" is short and common in base64 (certificates): it opens
			// windows only after a delimiter.
			Keywords: delimitedKeywords("aqe"),
			// AQE and base64, a hyphen and a base64 digest of 32 bytes,
			// sometimes a hyphen and 16 printable characters more.
			Regex:     `\b(AQE[A-Za-z0-9+/]{60,300}={0,2}-[A-Za-z0-9+/]{43}=(?:-[!-~]{16})?)`,
			Entropy:   4,
			MaxLength: 400,
		},
		{
			ID:          "razorpay-key-secret",
			Description: "Razorpay API key secret",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"razorpay", "rzp_live_"},
			// 24 base62 characters assigned to a name that mentions
			// Razorpay's secret, or given as the second half of a live key
			// pair ("rzp_live_…", "…").
			Regex: `(?:\brzp_live_[A-Za-z0-9]{14}["'][ \t]*,[ \t]*["'](?P<secret1>[A-Za-z0-9]{24})["']|` +
				vendorAssigned(`(?:razorpay|rzp)[\w.-]{0,30}secret|key_secret`, `(?P<secret2>[A-Za-z0-9]{24})`) + `)`,
			Entropy:   3.5,
			MaxLength: 250,
		},
		{
			ID:          "shopify-custom-access-token",
			Description: "Shopify custom app access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"shpca_"},
			Regex:       `\b(shpca_[a-fA-F0-9]{32})\b`,
			Entropy:     3,
			MaxLength:   60,
		},
		{
			ID:          "shopify-private-app-access-token",
			Description: "Shopify private app access token",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"shppa_"},
			Regex:       `\b(shppa_[a-fA-F0-9]{32})\b`,
			Entropy:     3,
			MaxLength:   60,
		},
		{
			ID:          "shopify-shared-secret",
			Description: "Shopify app shared secret",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"shpss_"},
			Regex:       `\b(shpss_[a-fA-F0-9]{32})\b`,
			Entropy:     3,
			MaxLength:   60,
		},
		{
			ID:          "plaid-api-token",
			Description: "Plaid production or development access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"access-production-", "access-development-"},
			Regex:       `\b(access-(?:production|development)-` + uuid + `)\b`,
			MaxLength:   80,
		},
		{
			ID:          "plaid-secret-key",
			Description: "Plaid API secret",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"plaid"},
			Regex:       vendorAssigned(`plaid[\w.-]{0,30}secret`, `(?P<secret>[0-9a-f]{30})`),
			Entropy:     3.2,
			MaxLength:   200,
		},
		{
			ID:          "flutterwave-secret-key",
			Description: "Flutterwave live secret key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"flwseck-"},
			Regex:       `\b(FLWSECK-[0-9a-f]{32}-X)\b`,
			Entropy:     3,
			MaxLength:   60,
		},
		{
			ID:          "mollie-api-key",
			Description: "Mollie live API key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"mollie"},
			Regex:       vendorAssigned(`mollie`, `(?P<secret>live_[A-Za-z0-9]{30})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "gocardless-api-token",
			Description: "GoCardless live access token",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"gocardless"},
			Regex:       vendorAssigned(`gocardless`, `(?P<secret>live_[A-Za-z0-9_=-]{40})`),
			Entropy:     3.5,
			MaxLength:   200,
		},
		{
			ID:          "checkout-secret-key",
			Description: "Checkout.com secret key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"checkout.com", "checkoutcom", "checkout_com", "checkout-com", "cko_", "cko-"},
			// The format is not published: a sk_ value assigned to a
			// name that mentions Checkout.com, sandbox keys excepted.
			Regex:     vendorAssigned(`(?:checkout[_.-]?com|cko)[\w.-]{0,30}(?:secret|key)`, `(?P<secret>sk_[A-Za-z0-9_-]{26,80})`),
			Entropy:   3.5,
			Validate:  func(s string) bool { return !strings.HasPrefix(s, "sk_sbox_") && !strings.HasPrefix(s, "sk_test_") },
			MaxLength: 250,
		},
		{
			ID:          "easypost-api-token",
			Description: "EasyPost production API key",
			Severity:    result.SeverityHigh,
			Keywords:    []string{"ezak"},
			Regex:       `\b(EZAK[A-Za-z0-9]{54})\b`,
			Entropy:     4,
			MaxLength:   80,
		},
		{
			ID:          "easypost-test-api-token",
			Description: "EasyPost test API key",
			Severity:    result.SeverityMedium,
			Keywords:    []string{"eztk"},
			Regex:       `\b(EZTK[A-Za-z0-9]{54})\b`,
			Entropy:     4,
			MaxLength:   80,
		},
		{
			ID:          "woocommerce-consumer-secret",
			Description: "WooCommerce REST API consumer secret",
			Severity:    result.SeverityHigh,
			// "cs_" is far too short a keyword: windows open at the
			// vendor's name or the parameter's.
			Keywords:  []string{"woocommerce", "consumer_secret", "consumersecret", "consumer-secret"},
			Regex:     `\b(cs_[0-9a-f]{40})\b`,
			Entropy:   3.2,
			MaxLength: 200,
		},
		{
			ID:          "coinbase-access-token",
			Description: "Coinbase API secret",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"coinbase"},
			Regex:       vendorAssigned(`coinbase[\w.-]{0,30}secret`, `(?P<secret>[A-Za-z0-9+/_-]{32,88}={0,2})`),
			Entropy:     4,
			MaxLength:   250,
		},
		{
			ID:          "paddle-api-key",
			Description: "Paddle Billing live API key",
			Severity:    result.SeverityCritical,
			Keywords:    []string{"pdl_live_apikey_"},
			// pdl_live_apikey_, a ULID, and two further parts.
			Regex:     `\b(pdl_live_apikey_[0-9a-z]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3})\b`,
			MaxLength: 100,
			Allowlists: []Allowlist{{
				Description: "the example in Paddle's documentation",
				Regexes:     []string{`^pdl_live_apikey_01gtgztp8f4kek3yd4g1wrksa3_`},
			}},
		},
	}
}
