package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/mdlayher/netlink/ynl/spec"
)

// The typed mode writes, for one spec, a Go package with a type per enum,
// struct, attribute set and sub-message of the family, their encoders and
// decoders, and a Client with a method per operation. The package needs
// nothing but netlink and x/sys at run time: the helpers it shares with
// every other generated package are written into it (typed_support.go.txt).

//go:embed typed_support.go.txt
var typedSupport string

// The Client resolves generic netlink families with constants of x/sys
// that exist on Linux only.
var (
	//go:embed typed_resolve_linux.go.txt
	typedResolveLinux string
	//go:embed typed_resolve_others.go.txt
	typedResolveOthers string
)

// runTyped generates the package of the spec called family (its name, as
// "rt-link", or its file's base name, as "rt_link") into outDir.
func runTyped(specDir, family, pkg, outDir string) error {
	paths, err := specFiles(specDir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		base := specBase(p)
		if base != family && strings.ReplaceAll(base, "_", "-") != family {
			continue
		}
		y, err := readSpec(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		// The same supplement as the tables get, so that both know the
		// same attributes.
		if err := applySupplement(y); err != nil {
			return err
		}
		f, err := resolve(y)
		if err != nil {
			return err
		}
		pruneOpAttrs(f)
		if pkg == "" {
			pkg = typedPackageName(f.Name)
		}
		files, err := genTyped(f, pkg, "Documentation/netlink/specs/"+base+".yaml")
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return err
		}
		for name, src := range files {
			if err := os.WriteFile(filepath.Join(outDir, name), src, 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("no spec of family %q in %s", family, specDir)
}

// runTypedAll generates the package of every spec of specDir into a
// directory of outDir named as the package.
func runTypedAll(specDir, outDir string) error {
	paths, err := specFiles(specDir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		base := specBase(p)
		y, err := readSpec(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		pkg := typedPackageName(y.Name)
		if err := runTyped(specDir, base, pkg, filepath.Join(outDir, pkg)); err != nil {
			return err
		}
	}
	return nil
}

// typedPackageName turns a family name into a package name: "rt-link"
// becomes rtlink, "ovs_flow" ovsflow.
func typedPackageName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// genTyped returns the files of the package of f.
func genTyped(f *spec.Family, pkg, source string) (map[string][]byte, error) {
	g := newTypedGen(f, pkg)
	if err := g.plan(); err != nil {
		return nil, err
	}
	g.emit(source)
	src, err := gofmt(g.b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, numbered(g.b.Bytes()))
	}
	files := map[string][]byte{"zz_" + pkg + ".go": src}
	for name, text := range map[string]string{
		"zz_support.go":        typedSupport,
		"zz_resolve_linux.go":  typedResolveLinux,
		"zz_resolve_others.go": typedResolveOthers,
	} {
		b, err := gofmt([]byte(strings.Replace(text, "package PACKAGE", "package "+pkg, 1)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		files[name] = b
	}
	return files, nil
}

// numbered returns src with line numbers, to show where generated code
// does not parse.
func numbered(src []byte) string {
	var b strings.Builder
	for i, l := range bytes.Split(src, []byte("\n")) {
		fmt.Fprintf(&b, "%5d %s\n", i+1, l)
	}
	return b.String()
}

// goName turns a spec name ("link-attrs", "ifla_vf_mac", "1000baseT")
// into an exported Go identifier (LinkAttrs, IflaVfMac, N1000baseT).
func goName(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	out := b.String()
	if out == "" {
		return "X"
	}
	if unicode.IsDigit(rune(out[0])) {
		return "N" + out
	}
	return out
}

// docLines writes doc as a comment, after a first line saying what name
// is.
func docComment(b *bytes.Buffer, first, doc string) {
	for _, l := range wrap(first, 76) {
		fmt.Fprintf(b, "// %s\n", l)
	}
	doc = strings.TrimSpace(doc)
	if doc == "" {
		return
	}
	b.WriteString("//\n")
	for _, l := range strings.Split(doc, "\n") {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" {
			b.WriteString("//\n")
			continue
		}
		fmt.Fprintf(b, "// %s\n", strings.ReplaceAll(l, "*/", "* /"))
	}
}

// wrap splits s into lines of at most width bytes, between words.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}
