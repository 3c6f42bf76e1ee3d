package secrets

import (
	"crypto/sha256"
	"strings"
)

// Alphabets of sample tokens.
const (
	sampleHex        = "0123456789abcdef"
	sampleLower      = "abcdefghijklmnopqrstuvwxyz"
	sampleLowerAlnum = "0123456789abcdefghijklmnopqrstuvwxyz"
	sampleUpperAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	sampleLetters    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	sampleBase32     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	sampleURLSafe    = base62 + "-_"
	sampleBase64     = base62 + "+/"
)

// sampleToken returns n characters of alphabet picked by hashing seed: a
// value that looks random and is the same in every run.
func sampleToken(alphabet string, n int, seed string) string {
	var b strings.Builder
	h := sha256.Sum256([]byte(seed))
	for i := 0; b.Len() < n; i++ {
		if i == len(h) {
			h, i = sha256.Sum256(h[:]), 0
		}
		b.WriteByte(alphabet[int(h[i])%len(alphabet)])
	}
	return b.String()
}

// sampleUUID returns a lower-case UUID picked by hashing seed.
func sampleUUID(seed string) string {
	h := sampleToken(sampleHex, 32, seed)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func commerceCases() []ruleCase {
	stripeWebhook := "whsec_" + sampleToken(base62, 32, "stripe-webhook")
	svixWebhook := "whsec_" + sampleToken(sampleBase64, 32, "svix-webhook")
	square := "EAAA" + sampleToken(sampleURLSafe, 60, "square")
	squareOld := "sq0atp-" + sampleToken(sampleURLSafe, 22, "square-old")
	squareSecret := "sq0csp-" + sampleToken(sampleURLSafe, 43, "square-secret")
	braintree := "access_token$production$" + sampleToken(sampleLowerAlnum, 16, "bt-merchant") + "$" + sampleToken(sampleHex, 32, "bt-secret")
	adyen := "AQE" + sampleToken(sampleBase64, 77, "adyen-1") + "=-" + sampleToken(sampleBase64, 43, "adyen-2") + "="
	adyenLong := adyen + "-" + sampleToken(base62+"!#%&()*+;<>?@[]^{}~", 16, "adyen-3")
	razorpayID := "rzp_live_" + sampleToken(base62, 14, "rzp-id")
	razorpaySecret := sampleToken(base62, 24, "rzp-secret")
	shpca := "shpca_" + sampleToken(sampleHex, 32, "shpca")
	shppa := "shppa_" + sampleToken(sampleHex, 32, "shppa")
	shpss := "shpss_" + sampleToken(sampleHex, 32, "shpss")
	plaidToken := "access-production-" + sampleUUID("plaid")
	plaidSecret := sampleToken(sampleHex, 30, "plaid-secret")
	flutterwave := "FLWSECK-" + sampleToken(sampleHex, 32, "flw") + "-X"
	mollie := "live_" + sampleToken(base62, 30, "mollie")
	gocardless := "live_" + sampleToken(sampleURLSafe, 40, "gocardless")
	checkout := "sk_" + sampleUUID("checkout")
	easypost := "EZAK" + sampleToken(base62, 54, "easypost")
	easypostTest := "EZTK" + sampleToken(base62, 54, "easypost-test")
	wooSecret := "cs_" + sampleToken(sampleHex, 40, "woo-secret")
	coinbase := sampleToken(sampleBase64, 86, "coinbase") + "=="
	paddle := "pdl_live_apikey_" + sampleToken(sampleLowerAlnum, 26, "paddle-1") + "_" + sampleToken(base62, 22, "paddle-2") + "_" + sampleToken(base62, 3, "paddle-3")
	clerk := "sk_live_" + sampleToken(base62, 42, "clerk")
	return []ruleCase{
		{rule: "stripe-access-token", input: `stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"`, secret: "sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
		{rule: "stripe-access-token", input: `key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"`},
		// Clerk's keys share the prefix.
		{rule: "stripe-access-token", input: "CLERK_SECRET_KEY=" + clerk},

		{rule: "stripe-webhook-secret", input: "STRIPE_WEBHOOK_SECRET=" + stripeWebhook, secret: stripeWebhook},
		{rule: "stripe-webhook-secret", input: `webhookSecret: "` + svixWebhook + `"`, secret: svixWebhook},
		{rule: "stripe-webhook-secret", input: "STRIPE_WEBHOOK_SECRET=whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "stripe-webhook-secret", input: "STRIPE_WEBHOOK_SECRET=whsec_your_webhook_signing_secret"},
		{rule: "stripe-webhook-secret", input: "STRIPE_WEBHOOK_SECRET=whsec_Ab12Cd34"},

		{rule: "square-access-token", input: "SQUARE_ACCESS_TOKEN=" + square, secret: square},
		{rule: "square-access-token", input: `square_token: "` + squareOld + `"`, secret: squareOld},
		{rule: "square-access-token", input: "SQUARE_ACCESS_TOKEN=" + square[:63]},
		// A Facebook token that happens to begin EAAA is much longer.
		{rule: "square-access-token", input: "token=EAAA" + sampleToken(base62, 150, "fb-eaaa")},
		{rule: "square-access-token", input: "SQUARE_ACCESS_TOKEN=EAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "square-secret", input: "SQUARE_APPLICATION_SECRET=" + squareSecret, secret: squareSecret},
		{rule: "square-secret", input: "SQUARE_APPLICATION_SECRET=sq0csp-" + sampleToken(base62, 30, "short")},
		{rule: "square-secret", input: "SQUARE_APPLICATION_ID=sq0idp-" + sampleToken(sampleURLSafe, 22, "app-id")},

		{rule: "braintree-access-token", input: `BRAINTREE_ACCESS_TOKEN="` + braintree + `"`, secret: braintree},
		{rule: "braintree-access-token", input: "access_token$sandbox$" + sampleToken(sampleLowerAlnum, 16, "bt-sb") + "$" + sampleToken(sampleHex, 32, "bt-sb-2")},

		{rule: "adyen-api-key", input: `ADYEN_API_KEY="` + adyen + `"`, secret: adyen},
		{rule: "adyen-api-key", input: `{"apiKey": "` + adyenLong + `"}`, secret: adyenLong},
		{rule: "adyen-api-key", input: `ADYEN_API_KEY="AQE` + sampleToken(sampleBase64, 40, "adyen-short") + `"`},
		{rule: "adyen-api-key", input: "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + sampleToken(sampleBase64, 60, "der") + "\n-----END PUBLIC KEY-----"},

		{rule: "razorpay-key-secret", input: "RAZORPAY_KEY_ID=" + razorpayID + "\nRAZORPAY_KEY_SECRET=" + razorpaySecret, secret: razorpaySecret},
		{rule: "razorpay-key-secret", file: "pay.py", input: `client = razorpay.Client(auth=("` + razorpayID + `", "` + razorpaySecret + `"))`, secret: razorpaySecret},
		{rule: "razorpay-key-secret", input: "RAZORPAY_KEY_ID=" + razorpayID},
		{rule: "razorpay-key-secret", input: "RAZORPAY_KEY_SECRET=your_razorpay_secret_key"},

		{rule: "shopify-custom-access-token", input: "SHOPIFY_TOKEN=" + shpca, secret: shpca},
		{rule: "shopify-custom-access-token", input: "SHOPIFY_TOKEN=shpca_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "shopify-private-app-access-token", input: "SHOPIFY_PASSWORD=" + shppa, secret: shppa},
		{rule: "shopify-private-app-access-token", input: "SHOPIFY_PASSWORD=" + shppa[:30]},
		{rule: "shopify-shared-secret", input: `"shared_secret": "` + shpss + `"`, secret: shpss},
		{rule: "shopify-shared-secret", input: "SHOPIFY_SECRET=shpss_" + sampleToken(base62, 32, "not-hex")},

		{rule: "plaid-api-token", input: `{"access_token": "` + plaidToken + `"}`, secret: plaidToken},
		{rule: "plaid-api-token", input: `{"access_token": "access-sandbox-` + sampleUUID("plaid-sandbox") + `"}`},

		{rule: "plaid-secret-key", input: "PLAID_SECRET=" + plaidSecret, secret: plaidSecret},
		{rule: "plaid-secret-key", input: "PLAID_CLIENT_ID=" + sampleToken(sampleHex, 24, "plaid-client")},
		{rule: "plaid-secret-key", input: "PLAID_SECRET=your-plaid-secret"},

		{rule: "flutterwave-secret-key", input: "FLW_SECRET_KEY=" + flutterwave, secret: flutterwave},
		{rule: "flutterwave-secret-key", input: "FLW_SECRET_KEY=FLWSECK_TEST-" + sampleToken(sampleHex, 32, "flw-test") + "-X"},

		{rule: "mollie-api-key", input: "MOLLIE_API_KEY=" + mollie, secret: mollie},
		{rule: "mollie-api-key", input: "MOLLIE_API_KEY=test_" + sampleToken(base62, 30, "mollie-test")},
		{rule: "mollie-api-key", input: "API_KEY=" + mollie},

		{rule: "gocardless-api-token", input: "GOCARDLESS_ACCESS_TOKEN=" + gocardless, secret: gocardless},
		{rule: "gocardless-api-token", input: "GOCARDLESS_ACCESS_TOKEN=sandbox_" + sampleToken(sampleURLSafe, 40, "gc-sandbox")},

		{rule: "checkout-secret-key", input: "CHECKOUT_COM_SECRET_KEY=" + checkout, secret: checkout},
		{rule: "checkout-secret-key", input: "CHECKOUT_COM_SECRET_KEY=sk_sbox_" + sampleToken(sampleLowerAlnum, 28, "cko-sbox")},
		{rule: "checkout-secret-key", input: "CHECKOUT_COM_SECRET_KEY=sk_test_" + sampleUUID("cko-test")},

		{rule: "easypost-api-token", input: "EASYPOST_API_KEY=" + easypost, secret: easypost},
		{rule: "easypost-api-token", input: "EASYPOST_API_KEY=EZAK" + sampleToken(base62, 40, "ezak-short")},
		{rule: "easypost-test-api-token", input: "EASYPOST_TEST_KEY=" + easypostTest, secret: easypostTest},
		{rule: "easypost-test-api-token", input: "EASYPOST_TEST_KEY=EZTKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "woocommerce-consumer-secret", input: "WOOCOMMERCE_CONSUMER_SECRET=" + wooSecret, secret: wooSecret},
		{rule: "woocommerce-consumer-secret", file: "api.php", input: `'consumer_secret' => '` + wooSecret + `',`, secret: wooSecret},
		{rule: "woocommerce-consumer-secret", input: "WOOCOMMERCE_CONSUMER_KEY=ck_" + sampleToken(sampleHex, 40, "woo-key")},
		// No keyword nearby: cs_ alone is too weak a sign.
		{rule: "woocommerce-consumer-secret", input: `hash = "` + wooSecret + `"`},

		{rule: "coinbase-access-token", input: "COINBASE_API_SECRET=" + coinbase, secret: coinbase},
		{rule: "coinbase-access-token", input: "COINBASE_API_SECRET=changeme"},

		{rule: "paddle-api-key", input: "PADDLE_API_KEY=" + paddle, secret: paddle},
		{rule: "paddle-api-key", input: "Authorization: Bearer pdl_live_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGTJyvoIz7LDtXT65bX7_AQO"},
		{rule: "paddle-api-key", input: "PADDLE_API_KEY=pdl_sdbx_apikey_" + sampleToken(sampleLowerAlnum, 26, "pd-sb") + "_" + sampleToken(base62, 22, "pd-sb-2") + "_abc"},
	}
}
