package secretcorpus

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// Source code, documents and data files that carry planted credentials.

func (c *corpus) pythonSettings(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{"app/settings/production.py", "config.py", "src/" + r.word() + "/settings.py", "scripts/sync_" + r.word() + ".py"}))
	f.add(`"""Settings for the `+r.word()+` service."""`, "import os", "", "DEBUG = False", `ALLOWED_HOSTS = [".`+r.domain()+`"]`, "")
	f.writeAll(c.mix(pos, r.between(2, 4), r.between(1, 3), "py"), "python", pythonLine)
	f.add("", "DATABASES = {", `    "default": {`, `        "ENGINE": "django.db.backends.postgresql",`, `        "PASSWORD": os.environ.get("DB_PASSWORD", ""),`, "    }", "}")
	return nil
}

func (c *corpus) jsConfig(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{"src/config/index.js", "config/default.js", "src/lib/clients.ts", "next.config.js", "server/config.mjs"}))
	f.add("// Configuration, read once at startup.", "'use strict';", "", "module.exports = {", "  env: process.env.NODE_ENV || 'development',")
	f.writeAll(c.mix(pos, r.between(2, 4), r.between(1, 3), "js"), "javascript", jsObjectLine("  "))
	f.add("};")
	return nil
}

func (c *corpus) goConfig(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/internal/" + pick(r, []string{"config/defaults.go", "clients/clients.go", "integration/" + r.word() + ".go"}))
	f.add("package "+pick(r, []string{"config", "clients", "integration"}), "", `import "os"`, "", "// Defaults used when no environment is given.", "var (")
	f.writeAll(c.mix(pos, r.between(2, 4), r.between(1, 2), "go"), "go", goLine)
	f.add(")", "", "func env(k, def string) string {", "\tif v := os.Getenv(k); v != \"\" {", "\t\treturn v", "\t}", "\treturn def", "}")
	return nil
}

func (c *corpus) javaConfig(root string, pos int) error {
	r := c.r
	pkg := "com." + r.word() + "." + r.word()
	f := c.newFile(root + "/src/main/java/" + strings.ReplaceAll(pkg, ".", "/") + "/" + pick(r, []string{"AppConfig.java", "Constants.java", "IntegrationSettings.java"}))
	f.add("package "+pkg+";", "", "import java.util.Properties;", "", "public final class Config {", "    private Config() {}", "")
	f.writeAll(c.mix(pos, r.between(2, 4), r.between(1, 2), "java"), "java", javaLine)
	f.add("}")
	return nil
}

func (c *corpus) phpConfig(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{"wp-config.php", "config/app.php", "public/config.inc.php"}))
	f.add("<?php", "/** The name of the database */", "define('DB_NAME', '"+r.word()+"');", "define('DB_USER', '"+r.user()+"');", "define('DB_HOST', '"+r.hostname()+"');")
	f.writeAll(c.mix(pos, r.between(2, 4), r.between(1, 2), "php"), "php", phpLine)
	f.add("$table_prefix = 'wp_';", "define('WP_DEBUG', false);", "require_once ABSPATH . 'wp-settings.php';")
	return nil
}

func (c *corpus) rubyInitializer(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/config/initializers/" + pick(r, []string{"integrations.rb", "stripe.rb", "aws.rb", "sidekiq.rb"}))
	f.add("# frozen_string_literal: true", "", "Rails.application.configure do")
	f.writeAll(c.mix(pos, r.between(2, 3), r.between(1, 2), "ruby"), "ruby", rubyLine)
	f.add("end")
	return nil
}

func (c *corpus) markdownDoc(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/docs/" + pick(r, []string{"setup.md", "runbook.md", "onboarding.md", "troubleshooting.md", "README.md"}))
	f.add("# "+pascal(r.word())+" service", "", "The service reads its credentials from the environment. Never commit a real password or token;",
		"ask in #platform for access to the vault path `secret/"+r.word()+"`.", "", "## Local setup", "", "```bash")
	items := noExpr(c.mix(pos, r.between(1, 3), r.between(1, 2), "config"))
	f.writeAll(items, "markdown", dotenvLine(2))
	f.add("make run", "```", "", "## Rotating the API token", "",
		"1. Create a new token in the provider's console (the old one keeps working for 24 hours).",
		"2. Update the secret: `vault kv put secret/"+r.word()+" token=<new token>`.",
		"3. Restart the pods. The password policy requires 12 characters or more.", "")
	return nil
}

func (c *corpus) csvFile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/data/" + pick(r, []string{"integrations.csv", "exports/partners.csv", "seed/api_clients.csv", "migration/accounts.csv"}))
	f.add("id,name,owner,environment,credential,created_at")
	rows := c.mix(pos, r.between(2, 5), r.between(2, 4), "config")
	for i, it := range rows {
		f.writeCredential(it, "csv", func(f *file, fl field) int {
			f.add(fmt.Sprintf("%d,%s,%s@%s,%s,%s,%s", 1000+i, kebab(fl.key), r.word(), r.domain(), pick(r, []string{"prod", "staging"}), csvQuote(fl.value),
				time.Date(2023+r.IntN(3), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, time.UTC).Format(time.RFC3339)))
			return f.last()
		})
	}
	return nil
}

func (c *corpus) htmlPage(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/web/public/" + pick(r, []string{"index.html", "admin.html", "embed.html"}))
	f.add("<!doctype html>", `<html lang="en">`, "<head>", `  <meta charset="utf-8">`, "  <title>"+pascal(r.word())+"</title>",
		`  <link rel="stylesheet" href="/static/css/main.`+r.hex(8)+`.css" integrity="sha384-`+r.b64(48)+`" crossorigin="anonymous">`,
		`  <meta http-equiv="Content-Security-Policy" content="script-src 'self' 'sha256-`+r.b64(32)+`'">`, "  <script>", "    window.__CONFIG__ = {")
	f.writeAll(noExpr(c.mix(pos, r.between(1, 3), r.between(1, 3), "config")), "html", jsObjectLine("      "))
	f.add("    };", "  </script>", "</head>", "<body>", `  <div id="root"></div>`, `  <img alt="" src="`+c.pngDataURI()+`">`,
		`  <script src="/static/js/main.`+r.hex(8)+`.js" integrity="sha384-`+r.b64(48)+`" crossorigin="anonymous"></script>`, "</body>", "</html>")
	return nil
}

// minifiedJS writes a bundle on one line; at most one planted credential,
// so that no two labels share the line.
func (c *corpus) minifiedJS(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/web/dist/assets/" + pick(r, []string{"index", "vendor", "app", "chunk-" + r.hex(4)}) + "-" + r.chars(8, b64URLSet) + ".min.js")
	f.noFinalNewline = true
	var sb strings.Builder
	sb.WriteString(`!function(){"use strict";`)
	junk := func() {
		for range r.between(20, 60) {
			v := r.chars(1, lowerABC) + r.chars(r.between(0, 2), lowerABC+digits)
			sb.WriteString(fmt.Sprintf(`var %s=function(e,t){return e&&t?%s(e,"%s"):null};`, v, r.chars(1, lowerABC), r.word()))
			if r.chance(0.1) {
				sb.WriteString(`"` + r.hex(20) + `".split("").map(Number);`)
			}
		}
	}
	junk()
	var planted *credential
	if pos > 0 {
		if items := c.take(1); len(items) > 0 && len(items[0].fields) == 1 {
			planted = &items[0]
		} else if len(items) > 0 {
			c.queue = append(c.queue, items[0]) // a pair needs two lines; plant it elsewhere
		}
	}
	if planted != nil {
		fl := planted.fields[0]
		sb.WriteString(`const Ke={apiBase:"https://api.` + r.domain() + `",` + camel(fl.key) + `:"` + fl.value + `",release:"` + r.hex(12) + `"};`)
	}
	for range r.between(1, 3) {
		neg := c.negative("config").fields[0]
		sb.WriteString(camel(neg.key) + `:"` + neg.value + `",`)
	}
	junk()
	sb.WriteString(`}();`)
	f.add(sb.String())
	if planted != nil {
		f.label(1, 1, planted.fields[0].format, "minified-js", planted.note, planted.fields[0].value)
	}
	return nil
}

func (c *corpus) logFile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/logs/" + pick(r, []string{"app", "worker", "access", "debug"}) + "-2024-" + fmt.Sprintf("%02d-%02d", 1+r.IntN(12), 1+r.IntN(28)) + ".log")
	t := time.Date(2024, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, time.UTC)
	stamp := func() string {
		t = t.Add(time.Duration(r.IntN(90_000)) * time.Millisecond)
		return t.Format("2006-01-02T15:04:05.000Z")
	}
	benign := func() {
		f.addf("%s INFO  request_id=%s method=GET path=/api/v1/%s status=200 duration_ms=%d", stamp(), r.uuid(), r.word(), r.between(2, 900))
	}
	for range r.between(4, 10) {
		benign()
	}
	for _, it := range c.mix(pos, r.between(1, 3), 0, "config") {
		f.writeCredential(it, "log", func(f *file, fl field) int {
			switch r.IntN(3) {
			case 0:
				f.addf("%s DEBUG loaded config %s=%s", stamp(), fl.key, fl.value)
			case 1:
				f.addf("%s WARN  retrying upstream call, headers={'Authorization': 'Bearer %s', 'User-Agent': '%s/1.0'}", stamp(), fl.value, r.word())
			default:
				f.addf("%s ERROR environment dump: %s=%s", stamp(), fl.key, fl.value)
			}
			return f.last()
		})
		for range r.between(1, 4) {
			benign()
		}
	}
	if r.chance(0.4) {
		f.addf("%s INFO  cache key %s:%s hit=true", stamp(), r.word(), r.hex(64))
	}
	f.addf("%s INFO  deployed image sha256:%s commit %s", stamp(), r.hex(64), r.hex(40))
	return nil
}

func (c *corpus) notebook(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/notebooks/" + pick(r, []string{"analysis", "exploration", "churn-model", "eval"}) + ".ipynb")
	f.add("{", ` "cells": [`, `  {`, `   "cell_type": "code",`, `   "execution_count": 1,`, `   "metadata": {},`, `   "outputs": [],`, `   "source": [`,
		`    "import os\n",`, `    "import pandas as pd\n",`)
	items := c.mix(pos, r.between(1, 2), r.between(1, 2), "py")
	for _, it := range items {
		f.writeCredential(it, "jupyter", func(f *file, fl field) int {
			v := fl.value
			if fl.expr {
				v = strings.ReplaceAll(v, `"`, `\"`)
			} else {
				v = `'` + v + `'`
			}
			f.add(`    "` + fl.key + ` = ` + v + `\n",`)
			return f.last()
		})
	}
	f.add(`    "df = pd.read_csv('data.csv')"`, `   ]`, `  }`, ` ],`, ` "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},`, ` "nbformat": 4,`, ` "nbformat_minor": 5`, "}")
	return nil
}

// pngDataURI returns a data URI of a small real PNG (random pixels).
func (c *corpus) pngDataURI() string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(c.png(c.r.between(4, 12)))
}

// csvQuote quotes a CSV field that holds a comma.
func csvQuote(v string) string {
	if strings.ContainsAny(v, ",\"") {
		return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return v
}
