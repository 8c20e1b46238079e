package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// checkSchemas reads the specs' schemas (genetlink*.yaml, netlink-raw.yaml
// in dir) and fails when they list a property that the generator's YAML
// types lack: a new kernel's schema then says what to add, instead of the
// new property being dropped unseen.
func checkSchemas(dir string) error {
	known := map[string]bool{}
	collectTags(reflect.TypeOf(yFamily{}), known, map[reflect.Type]bool{})
	var schemas []string
	for _, pat := range []string{"genetlink*.yaml*", "netlink-raw.yaml*"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return err
		}
		schemas = append(schemas, m...)
	}
	if len(schemas) == 0 {
		return fmt.Errorf("no schemas (genetlink*.yaml, netlink-raw.yaml) in %s", dir)
	}
	sort.Strings(schemas)
	var missing []string
	for _, p := range schemas {
		data, err := readFile(p)
		if err != nil {
			return err
		}
		var root yaml.Node
		if err := yaml.NewDecoder(bytes.NewReader(dropDirective(data))).Decode(&root); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		for _, name := range schemaProperties(&root) {
			if !known[name] {
				missing = append(missing, filepath.Base(p)+": "+name)
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("schema properties unknown to the generator:\n\t%s", strings.Join(missing, "\n\t"))
	}
	return nil
}

// collectTags gathers the yaml tag names of t and the types it holds.
func collectTags(t reflect.Type, known map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); tag != "" {
			known[tag] = true
		}
		collectTags(f.Type, known, seen)
	}
}

// schemaProperties returns the names under every "properties" mapping of
// a JSON schema document.
func schemaProperties(n *yaml.Node) []string {
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "properties" && v.Kind == yaml.MappingNode {
					for j := 0; j+1 < len(v.Content); j += 2 {
						out = append(out, v.Content[j].Value)
					}
				}
				walk(v)
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

// dropDirective removes a "%YAML 1.2" directive, which the YAML parser
// refuses although the documents read as YAML 1.1 just the same.
func dropDirective(data []byte) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i, l := range lines {
		if bytes.HasPrefix(l, []byte("%YAML")) {
			lines[i] = []byte("\n")
		}
	}
	return bytes.Join(lines, nil)
}
