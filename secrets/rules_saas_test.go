package secrets

import "encoding/base64"

func saasCases() []ruleCase {
	notion := "ntn_" + sampleToken("0123456789", 11, "ntn-1") + sampleToken(base62, 35, "ntn-2")
	notionOld := "secret_" + sampleToken(base62, 43, "notion-old")
	airtable := "pat" + sampleToken(base62, 14, "airtable-id") + "." + sampleToken(sampleHex, 64, "airtable")
	linear := "lin_api_" + sampleToken(base62, 40, "linear")
	figma := "figd_" + sampleToken(sampleURLSafe, 40, "figma")
	typeform := "tfp_" + sampleToken(sampleURLSafe, 59, "typeform")
	contentful := "CFPAT-" + sampleToken(sampleURLSafe, 43, "contentful")
	contentfulOld := "CFPAT-" + sampleToken(sampleHex, 64, "contentful-old")
	contentfulDelivery := sampleToken(sampleURLSafe, 43, "contentful-cda")
	postman := "PMAK-" + sampleToken(sampleHex, 24, "pmak-1") + "-" + sampleToken(sampleHex, 34, "pmak-2")
	mapboxPayload := base64.RawURLEncoding.EncodeToString([]byte(`{"u":"acme-maps","a":"` + sampleToken(sampleLowerAlnum, 25, "mapbox-a") + `"}`))
	mapbox := "sk." + mapboxPayload + "." + sampleToken(sampleURLSafe, 22, "mapbox-sig")
	mapboxPublic := "pk." + mapboxPayload + "." + sampleToken(sampleURLSafe, 22, "mapbox-sig")
	algolia := sampleToken(sampleHex, 32, "algolia")
	dropbox := "sl.u." + sampleToken(sampleURLSafe, 900, "dropbox")
	dropboxOld := "sl." + sampleToken(sampleURLSafe, 135, "dropbox-old")
	dropboxLong := sampleToken(base62, 11, "dbx-1") + "AAAAAAAAAA" + sampleToken(sampleURLSafe, 43, "dbx-2")
	hubspot := "pat-na1-" + sampleUUID("hubspot")
	hubspotLegacy := sampleUUID("hapikey")
	asana := "2/" + sampleToken("0123456789", 16, "asana-user") + "/" + sampleToken("0123456789", 16, "asana-app") + ":" + sampleToken(sampleHex, 32, "asana")
	asanaSecret := sampleToken(base62, 32, "asana-secret")
	prefect := "pnu_" + sampleToken(base62, 36, "prefect")
	readme := "rdme_" + sampleToken(sampleLowerAlnum, 70, "readme")
	ngrok := "2" + sampleToken(base62, 26, "ngrok-1") + "_" + sampleToken("0123456789", 1, "ngrok-2") + sampleToken(base62, 20, "ngrok-3")
	cloudinarySecret := sampleToken(sampleURLSafe, 27, "cloudinary")
	cloudinary := "cloudinary://" + sampleToken("0123456789", 15, "cloudinary-key") + ":" + cloudinarySecret + "@acme-media"
	zoom := sampleToken(base62, 32, "zoom")
	twitch := sampleToken(sampleLowerAlnum, 30, "twitch")
	frameio := "fio-u-" + sampleToken(sampleURLSafe, 64, "frameio")
	freshdesk := sampleToken(base62, 20, "freshdesk")
	zapier := "https://hooks.zapier.com/hooks/catch/" + sampleToken("0123456789", 8, "zap-1") + "/" + sampleToken(sampleLowerAlnum, 7, "zap-2")
	return []ruleCase{
		{rule: "shopify-access-token", input: "SHOPIFY_TOKEN=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", secret: "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"},
		{rule: "shopify-access-token", input: "SHOPIFY_TOKEN=shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "notion-api-token", input: "NOTION_TOKEN=" + notion, secret: notion},
		{rule: "notion-api-token", input: "NOTION_API_KEY=" + notionOld, secret: notionOld},
		{rule: "notion-api-token", input: "API_KEY=" + notionOld},
		{rule: "notion-api-token", input: "NOTION_TOKEN=ntn_your_integration_token"},

		{rule: "airtable-personnal-access-token", input: "AIRTABLE_TOKEN=" + airtable, secret: airtable},
		{rule: "airtable-personnal-access-token", input: "TOKEN=" + airtable},
		{rule: "airtable-personnal-access-token", input: "AIRTABLE_TOKEN=patXXXXXXXXXXXXXX.xxxx"},

		{rule: "linear-api-key", input: "LINEAR_API_KEY=" + linear, secret: linear},
		{rule: "linear-api-key", input: "LINEAR_API_KEY=lin_api_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "figma-personal-access-token", input: "FIGMA_TOKEN=" + figma, secret: figma},
		{rule: "figma-personal-access-token", input: "FIGMA_TOKEN=figd_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "typeform-api-token", input: "TYPEFORM_TOKEN=" + typeform, secret: typeform},
		{rule: "typeform-api-token", input: "TYPEFORM_TOKEN=tfp_your_token_here"},

		{rule: "contentful-personal-access-token", input: "CONTENTFUL_MANAGEMENT_TOKEN=" + contentful, secret: contentful},
		{rule: "contentful-personal-access-token", input: "CONTENTFUL_MANAGEMENT_TOKEN=" + contentfulOld, secret: contentfulOld},
		{rule: "contentful-personal-access-token", input: "CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-your-cma-token-here"},

		{rule: "contentful-delivery-api-token", input: "CONTENTFUL_DELIVERY_TOKEN=" + contentfulDelivery, secret: contentfulDelivery},
		{rule: "contentful-delivery-api-token", input: "CONTENTFUL_SPACE_ID=" + sampleToken(sampleLowerAlnum, 12, "space")},

		{rule: "postman-api-token", input: "POSTMAN_API_KEY=" + postman, secret: postman},
		{rule: "postman-api-token", input: "POSTMAN_API_KEY=PMAK-xxxxxxxxxxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "mapbox-secret-token", input: "MAPBOX_SECRET_TOKEN=" + mapbox, secret: mapbox},
		// Public tokens are meant to be shipped.
		{rule: "mapbox-secret-token", input: "MAPBOX_TOKEN=" + mapboxPublic},
		{rule: "mapbox-secret-token", input: "MAPBOX_SECRET_TOKEN=sk.eyJ" + sampleToken(base62, 60, "mapbox-bad") + "." + sampleToken(sampleURLSafe, 22, "mapbox-bad-2")},

		{rule: "algolia-api-key", input: "ALGOLIA_ADMIN_KEY=" + algolia, secret: algolia},
		{rule: "algolia-api-key", input: "ALGOLIA_SEARCH_KEY=" + algolia},
		// Yarn Berry's public search key, in every committed release bundle.
		{rule: "", file: ".yarn/releases/yarn-4.5.1.cjs", input: `var Vo={appId:"OFCNCOG2CU",apiKey:"6fe4476ee5a1832882e326b506d14126",indexName:"npm-search"};`},
		{rule: "algolia-api-key", file: "docs/.env", input: "ALGOLIA_ADMIN_KEY=6fe4476ee5a1832882e326b506d14126"},
		{rule: "algolia-api-key", input: "ALGOLIA_APP_ID=" + sampleToken(sampleUpperAlnum, 10, "algolia-app")},

		{rule: "dropbox-short-lived-api-token", input: "DROPBOX_ACCESS_TOKEN=" + dropbox, secret: dropbox},
		{rule: "dropbox-short-lived-api-token", input: `token: "` + dropboxOld + `"`, secret: dropboxOld},
		{rule: "dropbox-short-lived-api-token", input: "DROPBOX_ACCESS_TOKEN=sl.u.YOUR_TOKEN"},
		{rule: "dropbox-short-lived-api-token", input: "DROPBOX_ACCESS_TOKEN=sl." + sampleToken(sampleURLSafe, 60, "dbx-short")},

		{rule: "dropbox-long-lived-api-token", input: "DROPBOX_TOKEN=" + dropboxLong, secret: dropboxLong},
		{rule: "dropbox-long-lived-api-token", input: "DROPBOX_TOKEN=" + sampleToken(base62, 64, "dbx-other")},

		{rule: "hubspot-private-app-token", input: "HUBSPOT_ACCESS_TOKEN=" + hubspot, secret: hubspot},
		{rule: "hubspot-private-app-token", input: "HUBSPOT_ACCESS_TOKEN=pat-na1-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"},
		{rule: "hubspot-api-key", input: "HUBSPOT_API_KEY=" + hubspotLegacy, secret: hubspotLegacy},
		{rule: "hubspot-api-key", input: "HUBSPOT_PORTAL_ID=" + sampleToken("0123456789", 8, "portal")},

		{rule: "asana-personal-access-token", input: "ASANA_TOKEN=" + asana, secret: asana},
		{rule: "asana-personal-access-token", input: "ratio = 2/" + sampleToken("0123456789", 12, "ratio") + ":" + sampleToken(sampleHex, 32, "ratio-2")},
		{rule: "asana-client-secret", input: "ASANA_CLIENT_SECRET=" + asanaSecret, secret: asanaSecret},
		{rule: "asana-client-secret", input: "ASANA_CLIENT_ID=" + sampleToken("0123456789", 16, "asana-id")},

		{rule: "prefect-api-token", input: "PREFECT_API_KEY=" + prefect, secret: prefect},
		{rule: "prefect-api-token", input: "PREFECT_API_KEY=pnu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},

		{rule: "readme-api-token", input: "README_API_KEY=" + readme, secret: readme},
		{rule: "readme-api-token", input: "README_API_KEY=rdme_" + sampleToken(sampleLowerAlnum, 40, "readme-short")},

		{rule: "ngrok-auth-token", input: "ngrok config add-authtoken " + ngrok, secret: ngrok},
		{rule: "ngrok-auth-token", input: "authtoken: " + ngrok},
		{rule: "ngrok-auth-token", input: "NGROK_AUTHTOKEN=<your-ngrok-authtoken>"},

		{rule: "cloudinary-url", input: "CLOUDINARY_URL=" + cloudinary, secret: cloudinarySecret},
		{rule: "cloudinary-url", input: "CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name>"},

		{rule: "zoom-client-secret", input: "ZOOM_CLIENT_SECRET=" + zoom, secret: zoom},
		{rule: "zoom-client-secret", input: "ZOOM_CLIENT_ID=" + sampleToken(base62, 22, "zoom-id")},

		{rule: "twitch-api-token", input: "TWITCH_CLIENT_SECRET=" + twitch, secret: twitch},
		{rule: "twitch-api-token", input: "TWITCH_CHANNEL=somechannel"},

		{rule: "frameio-api-token", input: "FRAMEIO_TOKEN=" + frameio, secret: frameio},
		{rule: "frameio-api-token", input: "FRAMEIO_TOKEN=fio-u-..."},

		{rule: "freshdesk-api-key", input: "FRESHDESK_API_KEY=" + freshdesk, secret: freshdesk},
		{rule: "freshdesk-api-key", input: "FRESHDESK_DOMAIN=acme.freshdesk.com"},

		{rule: "zapier-webhook-url", input: "ZAPIER_HOOK=" + zapier + "/", secret: zapier},
		{rule: "zapier-webhook-url", input: "docs: https://hooks.zapier.com/hooks/catch/"},
	}
}
