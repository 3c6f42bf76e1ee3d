package secretcorpus

import "strings"

// A carrier writes one name = value field in the syntax of a file type and
// returns the line of the value. Code carriers (lang other than "config")
// also receive expression fields (os.Getenv("X")), which they write
// unquoted.

// Key styles.

func lowerSnake(k string) string { return strings.ToLower(k) }

func camel(k string) string {
	parts := strings.Split(strings.ToLower(k), "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func pascal(k string) string {
	c := camel(k)
	return strings.ToUpper(c[:1]) + c[1:]
}

func dotted(k string) string { return strings.ReplaceAll(strings.ToLower(k), "_", ".") }

func kebab(k string) string { return strings.ReplaceAll(strings.ToLower(k), "_", "-") }

// xmlEscape escapes the characters XML text and attributes cannot hold.
func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// xmlEscaped returns copies of items whose values are escaped for XML, so
// that a label's needle is the text as written. XML carriers write values
// as they are.
func xmlEscaped(items []credential) []credential {
	out := make([]credential, len(items))
	for i, it := range items {
		it.fields = append([]field(nil), it.fields...)
		for j := range it.fields {
			it.fields[j].value = xmlEscape(it.fields[j].value)
		}
		out[i] = it
	}
	return out
}

// shellQuote quotes a value for sh and dotenv files: single quotes when a
// planted value holds '$' (which must not expand), double quotes otherwise.
func shellQuote(fl field) string {
	if fl.format != "" && strings.ContainsAny(fl.value, "$!") {
		return "'" + fl.value + "'"
	}
	return `"` + fl.value + `"`
}

// yamlScalar writes a YAML scalar, quoted when it has to be or when the
// writer felt like it.
func yamlScalar(v string, quote bool) string {
	if quote || v == "" || strings.ContainsAny(v[:1], "*&!%@{[`|>'\"#?:-,") || strings.Contains(v, ": ") ||
		strings.Contains(v, " #") || v == "true" || v == "false" || v == "null" || v == "~" || isNumber(v) {
		return `"` + v + `"`
	}
	return v
}

func isNumber(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return s != ""
}

// lineCarrier returns a render function writing a single line built by
// format from the field.
func lineCarrier(format func(fl field) string) func(f *file, fl field) int {
	return func(f *file, fl field) int {
		f.add(format(fl))
		return f.last()
	}
}

// Config-file carriers; style picks among the ways people write each.

func dotenvLine(style int) func(f *file, fl field) int {
	return lineCarrier(func(fl field) string {
		switch {
		case style == 0 && !strings.ContainsAny(fl.value, " $#'\""):
			return fl.key + "=" + fl.value
		case style == 2:
			return "export " + fl.key + "=" + shellQuote(fl)
		default:
			return fl.key + "=" + shellQuote(fl)
		}
	})
}

func dockerfileLine(f *file, fl field) int {
	kw := "ENV"
	if strings.HasSuffix(fl.key, "TOKEN") || strings.HasSuffix(fl.key, "KEY") {
		kw = "ARG"
	}
	f.add(kw + " " + fl.key + "=" + shellQuote(fl))
	return f.last()
}

func yamlLine(indent string, key func(string) string, quote bool) func(f *file, fl field) int {
	return lineCarrier(func(fl field) string { return indent + key(fl.key) + ": " + yamlScalar(fl.value, quote) })
}

func composeEnvLine(f *file, fl field) int {
	f.add("      - " + fl.key + "=" + fl.value)
	return f.last()
}

func tomlLine(key func(string) string) func(f *file, fl field) int {
	return lineCarrier(func(fl field) string { return key(fl.key) + " = \"" + fl.value + "\"" })
}

func iniLine(f *file, fl field) int {
	f.add(lowerSnake(fl.key) + " = " + fl.value)
	return f.last()
}

func propertiesLine(prefix string) func(f *file, fl field) int {
	return lineCarrier(func(fl field) string { return prefix + dotted(fl.key) + "=" + fl.value })
}

func hclLine(indent string) func(f *file, fl field) int {
	return lineCarrier(func(fl field) string {
		if fl.expr {
			return indent + lowerSnake(fl.key) + " = " + fl.value
		}
		return indent + lowerSnake(fl.key) + " = \"" + fl.value + "\""
	})
}

func xmlAddLine(f *file, fl field) int {
	f.add(`    <add key="` + pascal(fl.key) + `" value="` + fl.value + `" />`)
	return f.last()
}

// Key-above carriers: the name is on the line before the value.

func k8sEnvLines(indent string) func(f *file, fl field) int {
	return func(f *file, fl field) int {
		f.add(indent+"- name: "+fl.key, indent+"  value: "+yamlScalar(fl.value, true))
		return f.last()
	}
}

func plistLines(f *file, fl field) int {
	f.add("\t<key>"+camel(fl.key)+"</key>", "\t<string>"+fl.value+"</string>")
	return f.last()
}

func hadoopLines(prefix string) func(f *file, fl field) int {
	return func(f *file, fl field) int {
		f.add("  <property>", "    <name>"+prefix+dotted(fl.key)+"</name>", "    <value>"+fl.value+"</value>", "  </property>")
		return f.last() - 1
	}
}

// Code carriers.

func pythonLine(f *file, fl field) int {
	if fl.expr {
		f.add(fl.key + " = " + fl.value)
	} else {
		f.add(fl.key + " = " + pyQuote(fl.value))
	}
	return f.last()
}

func pyQuote(v string) string {
	if strings.Contains(v, "'") {
		return `"` + v + `"`
	}
	return "'" + v + "'"
}

func jsObjectLine(indent string) func(f *file, fl field) int {
	return lineCarrier(func(fl field) string {
		if fl.expr {
			return indent + camel(fl.key) + ": " + fl.value + ","
		}
		return indent + camel(fl.key) + ": '" + fl.value + "',"
	})
}

func goLine(f *file, fl field) int {
	if fl.expr {
		f.add("\t" + camel(fl.key) + " = " + fl.value)
	} else {
		f.add("\t" + camel(fl.key) + " = \"" + fl.value + "\"")
	}
	return f.last()
}

func javaLine(f *file, fl field) int {
	v := `"` + fl.value + `"`
	if fl.expr {
		v = fl.value
	}
	f.add("    static final String " + fl.key + " = " + v + ";")
	return f.last()
}

func phpLine(f *file, fl field) int {
	v := "'" + fl.value + "'"
	if fl.expr {
		v = fl.value
	}
	f.add("define('" + fl.key + "', " + v + ");")
	return f.last()
}

func rubyLine(f *file, fl field) int {
	v := `"` + fl.value + `"`
	if fl.expr {
		v = fl.value
	}
	f.add("  config." + lowerSnake(fl.key) + " = " + v)
	return f.last()
}

// jsonCredentials writes fields as JSON members at indent, the last one without
// a trailing comma unless more follows.
func (f *file) jsonCredentials(items []credential, indent, carrier string, more bool) {
	n := 0
	for _, c := range items {
		n += len(c.fields)
	}
	i := 0
	for _, c := range items {
		f.writeCredential(c, carrier, func(f *file, fl field) int {
			i++
			comma := ","
			if i == n && !more {
				comma = ""
			}
			f.add(indent + `"` + camel(fl.key) + `": "` + fl.value + `"` + comma)
			return f.last()
		})
	}
}

// ecsEnvCredentials writes fields as an ECS task definition "environment"
// list: {"name": ..., "value": ...} objects with the value on its own line.
func (f *file) ecsEnvCredentials(items []credential, indent, carrier string) {
	n := 0
	for _, c := range items {
		n += len(c.fields)
	}
	i := 0
	for _, c := range items {
		f.writeCredential(c, carrier, func(f *file, fl field) int {
			i++
			comma := ","
			if i == n {
				comma = ""
			}
			f.add(indent+"{", indent+`  "name": "`+fl.key+`",`, indent+`  "value": "`+fl.value+`"`, indent+"}"+comma)
			return f.last() - 1
		})
	}
}

// writeAll writes every item with render.
func (f *file) writeAll(items []credential, carrier string, render func(f *file, fl field) int) {
	for _, c := range items {
		f.writeCredential(c, carrier, render)
	}
}

// comment writes a comment line in the given style, to break up a file.
func (f *file) comment(prefix, text string) { f.add(prefix + " " + text) }

// section returns a heading like the ones people put in config files.
func (r rng) section() string {
	return pick(r, []string{"database", "cache", "third-party services", "observability", "payments", "email", "auth", "storage", "feature flags", "CI", "messaging", "search"})
}

// indentLines formats a multi-line block with each line prefixed.
func indentLines(prefix, block string) string {
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}
