package secretcorpus

import (
	"crypto/elliptic"
	"fmt"
	"strings"
)

// homeDirs writes copies of people's home directories (a backup, a laptop
// migration, provisioning files): cloud CLI credentials, registry and
// package-manager logins, SSH and kube configs, shell history.
func (c *corpus) homeDirs() error {
	r := c.r
	for i := range 4 {
		user := pick(r, []string{"alice", "bob", "carol", "dmitri", "erin", "farah", "gus", "hiro"})
		home := pick(r, []string{"backups/home/", "ops/laptop-migration/", "vagrant/provision/files/home/"}) + user + fmt.Sprint(i)
		writers := []func(string) error{
			c.awsCredentials, c.dockerConfig, c.npmrc, c.pypirc, c.netrc, c.gitCredentials,
			c.sshDir, c.kubeconfig, c.pgpass, c.ghHosts, c.shellHistory,
		}
		shuffle(r, writers)
		for _, w := range writers[:r.between(7, len(writers))] {
			if err := w(home); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *corpus) awsCredentials(home string) error {
	r := c.r
	f := c.newFile(home + "/.aws/credentials")
	profiles := []string{"default", r.word() + "-prod", r.word() + "-admin"}
	for i, p := range profiles[:r.between(1, 3)] {
		if i > 0 {
			f.add("")
		}
		f.add("[" + p + "]")
		f.secret("aws_access_key_id = "+awsKeyID(r, "AKIA"), "AKIA", "aws-access-key", "aws-credentials", "")
		secret := awsSecretKey(r)
		f.secret("aws_secret_access_key = "+secret, secret, "aws-secret-key", "aws-credentials", "")
		if r.chance(0.3) {
			f.add("region = us-east-1")
		}
	}
	f.add("", "[docs-example]", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	g := c.newFile(home + "/.aws/config")
	g.add("[default]", "region = eu-west-1", "output = json", "", "[profile sso]", "sso_start_url = https://"+r.word()+".awsapps.com/start",
		"sso_account_id = "+r.digitsN(12), "sso_role_name = AdministratorAccess", "role_arn = arn:aws:iam::"+r.digitsN(12)+":role/"+r.word())
	return nil
}

func (c *corpus) dockerConfig(home string) error {
	r := c.r
	f := c.newFile(home + "/.docker/config.json")
	f.add("{", `  "auths": {`)
	for _, reg := range []string{"registry." + r.domain(), r.digitsN(12) + ".dkr.ecr.us-east-1.amazonaws.com"}[:r.between(1, 2)] {
		auth := b64(r.user() + ":" + r.password())
		f.add(`    "` + reg + `": {`)
		f.secret(`      "auth": "`+auth+`"`, auth, "docker-config-auth", "docker-config", "base64 of user:password")
		f.add(`    },`)
	}
	f.add(`    "https://index.docker.io/v1/": {}`, `  },`, `  "credsStore": "desktop",`, `  "currentContext": "default"`, "}")
	return nil
}

func (c *corpus) npmrc(home string) error {
	r := c.r
	f := c.newFile(home + "/.npmrc")
	f.add("registry=https://registry.npmjs.org/", "@"+r.word()+":registry=https://npm.pkg.github.com")
	npm := c.tokenOf("npm-token")
	f.secret("//registry.npmjs.org/:_authToken="+npm, npm, "npm-token", "npmrc", "")
	gh := githubClassic(r, "ghp")
	f.secret("//npm.pkg.github.com/:_authToken="+gh, gh, "github-pat", "npmrc", "")
	if r.chance(0.5) {
		auth := b64(r.user() + ":" + r.password())
		f.secret("//nexus."+r.domain()+"/repository/npm/:_auth="+auth, auth, "base64:basic-auth", "npmrc", "base64 of user:password")
	}
	f.add("//registry."+r.domain()+"/:_authToken=${NPM_TOKEN}", "always-auth=true")
	return nil
}

func (c *corpus) pypirc(home string) error {
	r := c.r
	f := c.newFile(home + "/.pypirc")
	f.add("[distutils]", "index-servers =", "    pypi", "    internal", "", "[pypi]", "username = __token__")
	tok := pypiToken(r)
	f.secret("password = "+tok, tok, "pypi-token", "ini", "")
	f.add("", "[internal]", "repository = https://pypi."+r.domain()+"/simple/", "username = "+r.user())
	pw := r.password()
	f.secret("password = "+pw, pw, "generic-password", "ini", "")
	return nil
}

func (c *corpus) netrc(home string) error {
	r := c.r
	f := c.newFile(home + "/.netrc")
	f.add("machine api.heroku.com", "  login "+r.word()+"@"+r.domain())
	key := r.uuid()
	f.secret("  password "+key, key, "heroku-api-key", "netrc", "password on its own line")
	gh := githubClassic(r, "ghp")
	f.secret("machine github.com login "+r.word()+" password "+gh, gh, "github-pat", "netrc", "")
	f.add("machine ftp.gnu.org login anonymous password anonymous@")
	return nil
}

func (c *corpus) gitCredentials(home string) error {
	r := c.r
	f := c.newFile(home + "/.git-credentials")
	gh := githubClassic(r, pick(r, []string{"ghp", "gho"}))
	format := map[string]string{"ghp": "github-pat", "gho": "github-oauth"}[gh[:3]]
	f.secret("https://"+r.word()+":"+gh+"@github.com", gh, format, "git-credentials", "")
	gl := c.tokenOf("gitlab-pat")
	f.secret("https://oauth2:"+gl+"@gitlab.com", gl, "gitlab-pat", "git-credentials", "")
	pw := r.password()
	u := userURL("https", r.user(), pw, "git."+r.domain(), "", "")
	f.secret(u, strings.TrimPrefix(u, "https://"), "url-basic-auth", "git-credentials", "")
	return nil
}

func (c *corpus) sshDir(home string) error {
	r := c.r
	var key any = r.ed25519Key()
	name := "id_ed25519"
	if r.chance(0.35) {
		key, name = r.rsaKey(2048), "id_rsa"
	}
	comment := strings.TrimPrefix(home[strings.LastIndex(home, "/"):], "/") + "@laptop"
	priv, err := opensshPrivate(key, comment, r.Uint32())
	if err != nil {
		return err
	}
	f := c.newFile(home + "/.ssh/" + name)
	start := f.next()
	f.add(priv)
	f.label(start, f.last(), "private-key-openssh", "pem-file", "~/.ssh key", "-----BEGIN")

	pub, err := sshAuthorizedKey(publicOf(key), comment)
	if err != nil {
		return err
	}
	c.newFile(home + "/.ssh/" + name + ".pub").add(pub)
	known := c.newFile(home + "/.ssh/known_hosts")
	for range r.between(3, 7) {
		hk, err := sshAuthorizedKey(r.ed25519Key().Public(), "")
		if err != nil {
			return err
		}
		known.add("|1|" + r.b64(20) + "|" + r.b64(20) + " " + strings.TrimSpace(hk))
	}
	c.newFile(home+"/.ssh/config").add("Host bastion", "  HostName bastion."+r.domain(), "  User ops", "  IdentityFile ~/.ssh/"+name, "  IdentitiesOnly yes")
	return nil
}

func (c *corpus) kubeconfig(home string) error {
	r := c.r
	ca, err := r.certificate(r.ed25519Key(), "kubernetes", true)
	if err != nil {
		return err
	}
	client, err := r.certificate(r.ed25519Key(), "system:admin", false)
	if err != nil {
		return err
	}
	keyPEM, err := pemEC(r.ecKey(elliptic.P256()))
	if err != nil {
		return err
	}
	f := c.newFile(home + "/.kube/config")
	f.add("apiVersion: v1", "kind: Config", "clusters:", "- cluster:", "    certificate-authority-data: "+b64(ca+"\n"), "    server: https://"+r.hex(32)+".gr7.us-east-1.eks.amazonaws.com",
		"  name: prod", "contexts:", "- context:", "    cluster: prod", "    user: admin", "  name: prod", "current-context: prod", "users:", "- name: admin", "  user:",
		"    client-certificate-data: "+b64(client+"\n"))
	enc := b64(keyPEM + "\n")
	f.secret("    client-key-data: "+enc, enc, "base64:private-key", "kubeconfig", "base64 of an EC PRIVATE KEY")
	f.add("- name: ci-bot", "  user:")
	tok := jwt(r)
	f.secret("    token: "+tok, tok, "jwt", "kubeconfig", "service-account token")
	return nil
}

func (c *corpus) pgpass(home string) error {
	r := c.r
	f := c.newFile(home + "/.pgpass")
	for range r.between(1, 2) {
		pw := strings.NewReplacer(":", "", "\\", "").Replace(r.password())
		f.secret(fmt.Sprintf("%s:5432:%s:%s:%s", r.hostname(), r.word(), r.user(), pw), pw, "generic-password", "pgpass", "")
	}
	return nil
}

func (c *corpus) ghHosts(home string) error {
	r := c.r
	f := c.newFile(home + "/.config/gh/hosts.yml")
	f.add("github.com:", "    users:", "        "+r.word()+":", "    git_protocol: https")
	tok := githubClassic(r, "gho")
	f.secret("    oauth_token: "+tok, tok, "github-oauth", "yaml", "")
	f.add("    user: " + r.word())
	return nil
}

func (c *corpus) shellHistory(home string) error {
	r := c.r
	f := c.newFile(home + "/" + pick(r, []string{".bash_history", ".zsh_history"}))
	benign := []string{"git status", "git log --oneline -5", "ls -la", "cd ~/src/" + r.word(), "make test", "kubectl get pods -n " + r.word(),
		"export GITHUB_TOKEN=$(gh auth token)", "docker ps", "vim ~/.ssh/config", "history | grep ssh", "terraform plan -var-file=prod.tfvars",
		"aws sts get-caller-identity", "echo $PATH", "sha256sum release.tar.gz", "gpg --verify release.tar.gz.asc"}
	for range r.between(6, 12) {
		f.add(pick(r, benign))
	}
	key := c.tokenOf("openai-api-key")
	f.secret("export OPENAI_API_KEY="+key, key, "openai-api-key", "shell-history", "")
	for range r.between(2, 5) {
		f.add(pick(r, benign))
	}
	pw := r.chars(r.between(12, 20), base62+"!@%^*-_+=.")
	f.secret("mysql -h "+r.hostname()+" -u root -p'"+pw+"' "+r.word(), pw, "generic-password", "shell-history", "password on a command line")
	for range r.between(2, 5) {
		f.add(pick(r, benign))
	}
	tok := jwt(r)
	f.secret(`curl -H "Authorization: Bearer `+tok+`" https://api.`+r.domain()+`/v2/me`, tok, "jwt", "shell-history", "")
	f.add(pick(r, benign))
	return nil
}
