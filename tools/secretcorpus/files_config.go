package secretcorpus

import (
	"fmt"
	"strings"
)

// template is a kind of file a service may have. write plants up to pos
// queued credentials in it, among negatives and plain settings.
type template struct {
	name   string
	maxPos int
	write  func(c *corpus, root string, pos int) error
}

// templates lists the kinds of files a service may have.
func (c *corpus) templates() []template {
	return []template{
		{"dotenv", 5, (*corpus).dotenvFile},
		{"shell", 3, (*corpus).shellFile},
		{"dockerfile", 2, (*corpus).dockerfile},
		{"compose", 3, (*corpus).composeFile},
		{"k8s-env", 3, (*corpus).k8sDeployment},
		{"k8s-configmap", 3, (*corpus).k8sConfigMap},
		{"helm-values", 3, (*corpus).helmValues},
		{"github-actions", 2, (*corpus).githubWorkflow},
		{"gitlab-ci", 2, (*corpus).gitlabCI},
		{"json", 3, (*corpus).jsonSettings},
		{"toml", 3, (*corpus).tomlFile},
		{"ini", 3, (*corpus).iniFile},
		{"properties", 3, (*corpus).propertiesFile},
		{"spring-yaml", 2, (*corpus).springYAML},
		{"terraform", 3, (*corpus).terraformFile},
		{"rails-database-yml", 1, (*corpus).railsDatabaseYML},
		{"ansible-vars", 2, (*corpus).ansibleVars},
		{"ecs-task-definition", 3, (*corpus).ecsTaskDefinition},
		{"hadoop-xml", 2, (*corpus).hadoopXML},
		{"plist", 2, (*corpus).plistFile},
		{"web-config", 2, (*corpus).webConfig},
		{"tfstate", 2, (*corpus).tfstate},
		{"python", 3, (*corpus).pythonSettings},
		{"javascript", 3, (*corpus).jsConfig},
		{"go", 2, (*corpus).goConfig},
		{"java", 2, (*corpus).javaConfig},
		{"php", 2, (*corpus).phpConfig},
		{"ruby", 2, (*corpus).rubyInitializer},
		{"markdown", 2, (*corpus).markdownDoc},
		{"csv", 3, (*corpus).csvFile},
		{"html", 2, (*corpus).htmlPage},
		{"minified-js", 2, (*corpus).minifiedJS},
		{"log", 3, (*corpus).logFile},
		{"jupyter", 2, (*corpus).notebook},
	}
}

func (c *corpus) dotenvFile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{".env", ".env.production", "config/.env.staging", ".env.local", "deploy/prod.env", "docker/app.env"}))
	style := r.IntN(3)
	f.comment("#", pick(r, []string{"Environment for " + root, "Copied from the ops vault on " + fmt.Sprint(2020+r.IntN(5)) + "-0" + fmt.Sprint(1+r.IntN(9)) + "-1" + fmt.Sprint(r.IntN(9)), "Local overrides", "Production settings"}))
	for i, it := range c.mix(pos, r.between(2, 6), r.between(3, 8), "config") {
		if i > 0 && r.chance(0.2) {
			f.add("")
			f.comment("#", r.section())
		}
		f.writeCredential(it, "dotenv", dotenvLine(style))
	}
	return nil
}

func (c *corpus) shellFile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/scripts/" + pick(r, []string{"deploy.sh", "bootstrap.sh", "release.sh", "migrate.sh", "backup.sh", "smoke-test.sh"}))
	f.add("#!/usr/bin/env bash", "set -euo pipefail", "")
	f.comment("#", pick(r, []string{"Deploys the service to the cluster.", "Restores the nightly backup.", "Runs database migrations, then smoke tests."}))
	for _, it := range c.mix(pos, r.between(2, 5), r.between(1, 4), "shell") {
		f.writeCredential(it, "shell", dotenvLine(2))
	}
	f.add("",
		`curl -fsS -H "Authorization: Bearer ${API_TOKEN}" "https://api.`+r.domain()+`/v1/deployments" -d @payload.json`,
		`echo "$DOCKER_PASSWORD" | docker login --username deploy --password-stdin registry.`+r.domain(),
		`psql "postgresql://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/${DB_NAME}" -f migrations/latest.sql`,
		`kubectl -n `+r.word()+` rollout status deployment/`+r.word())
	return nil
}

func (c *corpus) dockerfile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{"Dockerfile", "deploy/docker/Dockerfile", "Dockerfile.prod"}))
	f.add("# syntax=docker/dockerfile:1", "FROM "+pick(r, []string{"python:3.12-slim", "node:22-alpine", "golang:1.25", "eclipse-temurin:21-jre"})+"@sha256:"+r.hex(64), "WORKDIR /app")
	f.writeAll(c.mix(pos, r.between(1, 3), r.between(1, 3), "config"), "dockerfile", dockerfileLine)
	f.add("COPY . .", "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc make build", "USER 10001", `CMD ["./bin/server"]`)
	return nil
}

func (c *corpus) composeFile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{"docker-compose.yml", "compose.yaml", "docker-compose.prod.yml"}))
	f.add("services:", "  app:", "    build: .", "    image: "+r.word()+"/"+r.word()+":"+fmt.Sprint(r.between(1, 9))+"."+fmt.Sprint(r.IntN(20)), "    ports:", `      - "8080:8080"`, "    environment:")
	items := c.mix(pos, r.between(2, 4), r.between(2, 4), "config")
	if r.chance(0.5) {
		f.writeAll(items, "compose", composeEnvLine)
	} else {
		f.writeAll(items, "compose", yamlLine("      ", func(k string) string { return k }, false))
	}
	f.add("  db:", "    image: postgres:16", "    environment:", "      POSTGRES_PASSWORD_FILE: /run/secrets/db_password", "    secrets:", "      - db_password",
		"secrets:", "  db_password:", "    file: ./secrets/db_password.txt")
	return nil
}

func (c *corpus) k8sDeployment(root string, pos int) error {
	r := c.r
	name := r.word()
	f := c.newFile(root + "/deploy/k8s/" + pick(r, []string{"deployment.yaml", "statefulset.yaml", "cronjob.yaml"}))
	f.add("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: "+name, "  labels:", "    app.kubernetes.io/name: "+name,
		"spec:", "  replicas: "+fmt.Sprint(r.between(1, 5)), "  template:", "    spec:", "      containers:", "        - name: "+name,
		"          image: ghcr.io/"+r.word()+"/"+name+"@sha256:"+r.hex(64), "          env:")
	render := k8sEnvLines("            ")
	for _, it := range c.mix(pos, r.between(1, 3), r.between(2, 4), "config") {
		f.writeCredential(it, "k8s-env", render)
		if r.chance(0.5) {
			// The right way, and a hard negative: the name above a reference.
			key := pick(r, secretishKeys())
			f.add("            - name: "+key, "              valueFrom:", "                secretKeyRef:", "                  name: "+name+"-secrets", "                  key: "+kebab(key))
		}
	}
	f.add("          resources:", "            limits:", "              memory: 512Mi")
	return nil
}

func (c *corpus) k8sConfigMap(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/deploy/k8s/configmap.yaml")
	f.add("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: "+r.word()+"-config", "data:")
	f.writeAll(c.mix(pos, r.between(2, 4), r.between(3, 6), "config"), "yaml", yamlLine("  ", func(k string) string { return k }, true))
	return nil
}

func (c *corpus) helmValues(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/deploy/helm/" + pick(r, []string{"values.yaml", "values-prod.yaml", "values-staging.yaml"}))
	f.add("replicaCount: "+fmt.Sprint(r.between(1, 4)), "image:", "  repository: ghcr.io/"+r.word()+"/"+r.word(), "  tag: \"sha-"+r.hex(7)+"\"", "  pullPolicy: IfNotPresent", "", "config:")
	f.writeAll(c.mix(pos, r.between(2, 4), r.between(2, 5), "config"), "yaml", yamlLine("  ", camel, false))
	f.add("", "ingress:", "  enabled: true", "  hosts:", "    - host: "+r.word()+"."+r.domain())
	return nil
}

func (c *corpus) githubWorkflow(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/.github/workflows/" + pick(r, []string{"deploy.yml", "release.yml", "ci.yml", "nightly.yml"}))
	f.add("name: "+pick(r, []string{"deploy", "release", "ci"}), "on:", "  push:", "    branches: [main]", "", "env:")
	f.writeAll(c.mix(pos, r.between(1, 3), r.between(1, 3), "config"), "github-actions", yamlLine("  ", func(k string) string { return k }, false))
	f.add("", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    steps:",
		"      - uses: actions/checkout@"+r.hex(40)+" # v4.2.2",
		"      - uses: actions/setup-go@"+r.hex(40)+" # v5.4.0",
		"      - uses: actions/cache@"+r.hex(40)+" # v4",
		"        with:", "          path: ~/go/pkg/mod", "          key: ${{ runner.os }}-go-${{ hashFiles('**/go.sum') }}",
		"      - run: make test deploy", "        env:", "          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}", "          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}")
	return nil
}

func (c *corpus) gitlabCI(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/.gitlab-ci.yml")
	f.add("stages: [test, deploy]", "", "variables:", `  DOCKER_DRIVER: overlay2`)
	f.writeAll(c.mix(pos, r.between(1, 3), r.between(1, 3), "config"), "gitlab-ci", yamlLine("  ", func(k string) string { return k }, true))
	f.add("", "deploy:", "  stage: deploy", "  image: alpine:3.20@sha256:"+r.hex(64), "  script:",
		`    - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"`, "    - ./scripts/deploy.sh")
	return nil
}

func (c *corpus) jsonSettings(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{"config/settings.json", "appsettings.Production.json", "config/production.json", "secrets.json", ".vscode/settings.json"}))
	f.add("{", `  "service": "`+r.word()+`",`, `  "version": "`+fmt.Sprint(r.between(1, 5))+"."+fmt.Sprint(r.IntN(30))+`.0",`, `  "settings": {`)
	f.jsonCredentials(noExpr(c.mix(pos, r.between(2, 5), r.between(2, 5), "config")), "    ", "json", false)
	f.add("  }", "}")
	return nil
}

func (c *corpus) tomlFile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{"config/config.toml", "config.toml", "settings/production.toml", ".streamlit/secrets.toml"}))
	f.add("title = \""+r.word()+"\"", "", "["+pick(r, []string{"server", "app", "default"})+"]", "bind_address = \"0.0.0.0:8080\"", "")
	items := c.mix(pos, r.between(2, 4), r.between(2, 4), "config")
	// A TOML table may not define a key twice: a repeated name opens a
	// new table.
	used := map[string]bool{}
	section := func() {
		f.add("", "["+strings.ReplaceAll(r.section(), " ", "_")+fmt.Sprintf("_%d", f.last())+"]")
		used = map[string]bool{}
	}
	for i, it := range items {
		repeat := false
		for _, fl := range it.fields {
			repeat = repeat || used[lowerSnake(fl.key)]
		}
		if i == len(items)/2 || repeat {
			section()
		}
		for _, fl := range it.fields {
			used[lowerSnake(fl.key)] = true
		}
		f.writeCredential(it, "toml", tomlLine(lowerSnake))
	}
	return nil
}

func (c *corpus) iniFile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{"config/app.ini", "setup.cfg", "conf/service.conf", "alembic.ini", "php.ini"}))
	f.add("; "+pick(r, []string{"Service configuration", "Managed by config management", "Defaults for all environments"}), "[main]", "debug = false")
	items := c.mix(pos, r.between(2, 4), r.between(2, 4), "config")
	for i, it := range items {
		if i == len(items)/2 {
			f.add("", "["+strings.ReplaceAll(r.section(), " ", "_")+"]")
		}
		f.writeCredential(it, "ini", iniLine)
	}
	return nil
}

func (c *corpus) propertiesFile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/src/main/resources/" + pick(r, []string{"application-prod.properties", "application.properties", "config.properties", "gradle.properties"}))
	f.add("# "+pick(r, []string{"Spring Boot configuration", "Generated by the release pipeline", "Production profile"}), "server.port=8080", "spring.application.name="+r.word())
	prefix := pick(r, []string{"app.", "spring.datasource.", "", "integration."})
	f.writeAll(c.mix(pos, r.between(2, 4), r.between(2, 4), "config"), "properties", propertiesLine(prefix))
	return nil
}

func (c *corpus) springYAML(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/src/main/resources/" + pick(r, []string{"application.yml", "application-prod.yml", "bootstrap.yml"}))
	f.add("spring:", "  application:", "    name: "+r.word(), "  datasource:", "    driver-class-name: org.postgresql.Driver", "app:", "  integrations:")
	f.writeAll(c.mix(pos, r.between(2, 3), r.between(2, 3), "config"), "yaml", yamlLine("    ", kebab, false))
	f.add("management:", "  endpoints:", "    web:", "      exposure:", "        include: health,info")
	return nil
}

func (c *corpus) terraformFile(root string, pos int) error {
	r := c.r
	if r.chance(0.4) {
		f := c.newFile(root + "/infra/" + pick(r, []string{"terraform.tfvars", "prod.auto.tfvars", "secrets.tfvars"}))
		f.comment("#", "Values for the "+pick(r, []string{"production", "staging"})+" workspace")
		f.writeAll(noExpr(c.mix(pos, r.between(2, 4), r.between(2, 4), "config")), "terraform", hclLine(""))
		return nil
	}
	f := c.newFile(root + "/infra/" + pick(r, []string{"main.tf", "providers.tf", "database.tf", "integrations.tf"}))
	f.add(`terraform {`, `  required_version = ">= 1.6"`, `}`, ``, `resource "`+pick(r, []string{"aws_db_instance", "kubernetes_secret", "datadog_integration", "github_actions_secret"})+`" "`+r.word()+`" {`)
	f.writeAll(c.mix(pos, r.between(2, 4), r.between(1, 3), "hcl"), "terraform", hclLine("  "))
	f.add(`}`, ``, `variable "db_password" {`, `  type      = string`, `  sensitive = true`, `}`)
	return nil
}

func (c *corpus) railsDatabaseYML(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/config/database.yml")
	f.add("default: &default", "  adapter: postgresql", "  encoding: unicode", "  pool: <%= ENV.fetch(\"RAILS_MAX_THREADS\") { 5 } %>", "",
		"development:", "  <<: *default", "  database: "+r.word()+"_development", "  password: <%= ENV['DB_PASSWORD'] %>", "", "production:", "  <<: *default")
	items := c.take(pos)
	for _, it := range items {
		f.writeCredential(it, "yaml", yamlLine("  ", lowerSnake, false))
	}
	f.add("  host: "+r.hostname(), "  username: "+r.user())
	return nil
}

func (c *corpus) ansibleVars(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/ansible/group_vars/" + pick(r, []string{"prod.yml", "all.yml", "webservers.yml"}))
	f.add("---")
	f.writeAll(c.mix(pos, r.between(1, 3), r.between(2, 4), "config"), "yaml", yamlLine("", lowerSnake, false))
	// An ansible-vault encrypted value: high entropy, and not a leak.
	f.add("vault_"+lowerSnake(pick(r, secretishKeys()))+": !vault |", "  $ANSIBLE_VAULT;1.1;AES256")
	for range r.between(4, 8) {
		f.add("  " + r.hex(80))
	}
	return nil
}

func (c *corpus) ecsTaskDefinition(root string, pos int) error {
	r := c.r
	name := r.word()
	f := c.newFile(root + "/deploy/ecs/task-definition.json")
	f.add("{", `  "family": "`+name+`",`, `  "containerDefinitions": [`, `    {`, `      "name": "`+name+`",`,
		`      "image": "`+r.digitsN(12)+`.dkr.ecr.us-east-1.amazonaws.com/`+name+`@sha256:`+r.hex(64)+`",`,
		`      "secrets": [`, `        { "name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:`+r.digitsN(12)+`:parameter/`+name+`/db_password" }`, `      ],`,
		`      "environment": [`)
	f.ecsEnvCredentials(noExpr(c.mix(pos, r.between(1, 3), r.between(2, 4), "config")), "        ", "ecs-env")
	f.add(`      ]`, `    }`, `  ]`, `}`)
	return nil
}

func (c *corpus) hadoopXML(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/conf/" + pick(r, []string{"core-site.xml", "hive-site.xml", "hdfs-site.xml"}))
	f.add(`<?xml version="1.0" encoding="UTF-8"?>`, `<configuration>`)
	prefix := pick(r, []string{"fs.s3a.", "javax.jdo.option.", "hadoop.", ""})
	f.writeAll(xmlEscaped(noExpr(c.mix(pos, r.between(1, 3), r.between(2, 3), "config"))), "hadoop-xml", hadoopLines(prefix))
	f.add(`</configuration>`)
	return nil
}

func (c *corpus) plistFile(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/ios/" + pascal(r.word()) + "/" + pick(r, []string{"Config.plist", "Info.plist", "GoogleService-Info.plist", "Secrets.plist"}))
	f.add(`<?xml version="1.0" encoding="UTF-8"?>`, `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`, `<plist version="1.0">`, `<dict>`,
		"\t<key>CFBundleIdentifier</key>", "\t<string>io."+r.word()+"."+r.word()+"</string>")
	f.writeAll(xmlEscaped(noExpr(c.mix(pos, r.between(1, 3), r.between(1, 3), "config"))), "plist", plistLines)
	f.add(`</dict>`, `</plist>`)
	return nil
}

func (c *corpus) webConfig(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/" + pick(r, []string{"Web.config", "App.config", "web.Release.config"}))
	f.add(`<?xml version="1.0" encoding="utf-8"?>`, `<configuration>`, `  <appSettings>`)
	f.writeAll(xmlEscaped(noExpr(c.mix(pos, r.between(2, 4), r.between(2, 3), "config"))), "xml", xmlAddLine)
	f.add(`  </appSettings>`, `  <system.web>`, `    <compilation debug="false" targetFramework="4.8" />`, `  </system.web>`, `</configuration>`)
	return nil
}

func (c *corpus) tfstate(root string, pos int) error {
	r := c.r
	f := c.newFile(root + "/infra/" + pick(r, []string{"terraform.tfstate", "terraform.tfstate.backup"}))
	f.add("{", `  "version": 4,`, `  "terraform_version": "1.9.`+fmt.Sprint(r.IntN(8))+`",`, `  "serial": `+fmt.Sprint(r.between(1, 400))+`,`,
		`  "lineage": "`+r.uuid()+`",`, `  "resources": [`, `    {`, `      "mode": "managed",`, `      "type": "aws_db_instance",`, `      "name": "`+r.word()+`",`,
		`      "instances": [`, `        {`, `          "attributes": {`, `            "arn": "arn:aws:rds:us-east-1:`+r.digitsN(12)+`:db:`+r.word()+`",`)
	f.jsonCredentials(noExpr(c.mix(pos, r.between(1, 3), r.between(2, 3), "config")), "            ", "tfstate", false)
	f.add(`          }`, `        }`, `      ]`, `    }`, `  ]`, `}`)
	return nil
}
