//go:build ignore

// Command upstream is the helper of .ci/upstream; it is built into a
// temporary module there, never as part of this one.
//
//	upstream prune DIR FILE...
//	upstream tally NAMES ORIGINAL.json OURS.json
//	upstream output OURS.json KEY...
//
// prune takes white-box test files of the original (package netlink,
// copied into DIR, a copy of this tree without its own tests) and removes,
// one top-level declaration at a time, what does not compile against this
// tree: a declaration the compiler reports an error in, then whatever used
// it, then imports left unused, until the test binary builds. Unexported
// names differ between the two implementations, so only the tests that
// reach this tree through exported names are left. It prints which test
// functions were kept and which were removed, with the first compiler error
// that removed each, and writes the kept names to DIR/.whitebox-tests.
//
// tally reads the `go test -json` streams of the same tests run against the
// original and against this tree, and prints pass/fail/skip counts of each,
// split into the white-box tests (top-level names listed in NAMES) and the
// rest; then, one a line, each test that passed on the original and did not
// pass here.
//
// output prints what each test named by KEY ("package test", as tally
// prints it) logged in a go test -json stream, without the lines go test
// adds itself.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "prune":
		if len(os.Args) < 4 {
			usage()
		}
		err = prune(os.Args[2], os.Args[3:])
	case "tally":
		if len(os.Args) != 5 {
			usage()
		}
		err = tally(os.Args[2], os.Args[3], os.Args[4])
	case "output":
		if len(os.Args) < 3 {
			usage()
		}
		err = output(os.Args[2], os.Args[3:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "upstream:", err)
		os.Exit(2)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: upstream prune DIR FILE... | tally NAMES ORIGINAL.json OURS.json | output OURS.json KEY...")
	os.Exit(2)
}

// A testFile is one white-box test file being pruned.
type testFile struct {
	name    string // base name inside the directory
	fset    *token.FileSet
	file    *ast.File
	removed map[string]string // test function name -> why it was removed
}

// compileError matches the first line of a compiler error.
var compileError = regexp.MustCompile(`^(?:\./)?([^\s:]+\.go):(\d+):(\d+): (.*)$`)

// maxRounds bounds the compile-and-remove loop; each round removes at least
// one declaration or import, and the original's files have far fewer.
const maxRounds = 50

func prune(dir string, names []string) error {
	var files []*testFile
	skipped := map[string]string{}
	for _, n := range names {
		ok, err := build.Default.MatchFile(dir, n)
		if err != nil {
			return err
		}
		if !ok {
			skipped[n] = fmt.Sprintf("%s excludes it on %s/%s", constraint(filepath.Join(dir, n)), build.Default.GOOS, build.Default.GOARCH)
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			return err
		}
		files = append(files, &testFile{name: n, fset: fset, file: f, removed: map[string]string{}})
	}
	byName := map[string]*testFile{}
	for _, f := range files {
		byName[f.name] = f
	}

	for round := 0; ; round++ {
		if round == maxRounds {
			return fmt.Errorf("still not compiling after %d rounds", maxRounds)
		}
		out, err := compile(dir)
		if err == nil {
			break
		}
		changed := false
		for _, line := range strings.Split(out, "\n") {
			m := compileError.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			f := byName[filepath.Base(m[1])]
			if f == nil {
				return fmt.Errorf("compile error outside the original's test files:\n%s", out)
			}
			ln, _ := strconv.Atoi(m[2])
			if f.remove(ln, m[4]) {
				changed = true
			}
		}
		if !changed {
			return fmt.Errorf("cannot tell what to remove:\n%s", out)
		}
		for _, f := range files {
			if err := f.write(dir); err != nil {
				return err
			}
		}
	}

	var kept []string
	nKept, nRemoved := 0, 0
	for _, n := range names {
		if why, ok := skipped[n]; ok {
			fmt.Printf("%s: not used: %s\n", n, why)
			continue
		}
		f := byName[n]
		var k []string
		for _, d := range f.file.Decls {
			if name := testFunc(d); name != "" {
				k = append(k, name)
			}
		}
		if len(k) == 0 {
			// Nothing left to run: leave the file out, so that its helpers
			// cannot collide with another file's.
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				return err
			}
		}
		nKept += len(k)
		nRemoved += len(f.removed)
		fmt.Printf("%s: %d kept, %d removed\n", n, len(k), len(f.removed))
		var gone []string
		for name := range f.removed {
			gone = append(gone, name)
		}
		sort.Strings(gone)
		for _, name := range gone {
			fmt.Printf("    removed %s: %s\n", name, f.removed[name])
		}
		kept = append(kept, k...)
	}
	fmt.Printf("white-box test functions: %d kept, %d removed\n", nKept, nRemoved)
	return os.WriteFile(filepath.Join(dir, ".whitebox-tests"), []byte(strings.Join(kept, "\n")+"\n"), 0o644)
}

// constraint returns the //go:build line of a file.
func constraint(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "its build constraint"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "//go:build ") {
			return l
		}
	}
	return "its file name"
}

// compile builds the test binary of the package in dir, reporting every
// compiler error rather than the first ten.
func compile(dir string) (string, error) {
	cmd := exec.Command("go", "test", "-c", "-o", os.DevNull, "-vet=off", "-gcflags=-e", ".")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// remove removes the top-level declaration, or the import, at line ln,
// recording why when it is a test function. It reports whether anything
// was removed.
func (f *testFile) remove(ln int, why string) bool {
	for i, d := range f.file.Decls {
		start, end := f.fset.Position(d.Pos()).Line, f.fset.Position(d.End()).Line
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			start = f.fset.Position(fd.Doc.Pos()).Line
		}
		if ln < start || ln > end {
			continue
		}
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			return f.removeImport(g, ln)
		}
		f.file.Decls = append(f.file.Decls[:i:i], f.file.Decls[i+1:]...)
		if name := testFunc(d); name != "" {
			f.removed[name] = why
		}
		return true
	}
	return false
}

func (f *testFile) removeImport(g *ast.GenDecl, ln int) bool {
	for i, s := range g.Specs {
		if f.fset.Position(s.Pos()).Line != ln {
			continue
		}
		g.Specs = append(g.Specs[:i:i], g.Specs[i+1:]...)
		is := s.(*ast.ImportSpec)
		for j, imp := range f.file.Imports {
			if imp == is {
				f.file.Imports = append(f.file.Imports[:j:j], f.file.Imports[j+1:]...)
				break
			}
		}
		return true
	}
	return false
}

// write rewrites the file without the removed declarations and their
// comments.
func (f *testFile) write(dir string) error {
	cmap := ast.NewCommentMap(f.fset, f.file, f.file.Comments)
	f.file.Comments = cmap.Filter(f.file).Comments()
	var b bytes.Buffer
	if err := format.Node(&b, f.fset, f.file); err != nil {
		return err
	}
	// Reparse, so that positions match the written text in the next round.
	fset := token.NewFileSet()
	nf, err := parser.ParseFile(fset, f.name, b.Bytes(), parser.ParseComments)
	if err != nil {
		return err
	}
	f.fset, f.file = fset, nf
	return os.WriteFile(filepath.Join(dir, f.name), b.Bytes(), 0o644)
}

// testFunc returns the name of d if go test runs it as a test, fuzz target
// or example, and "" otherwise.
func testFunc(d ast.Decl) string {
	fd, ok := d.(*ast.FuncDecl)
	if !ok || fd.Recv != nil {
		return ""
	}
	n := fd.Name.Name
	for _, p := range []string{"Test", "Fuzz", "Example"} {
		if strings.HasPrefix(n, p) {
			return n
		}
	}
	return ""
}

// rootPackage is the package the white-box tests belong to.
const rootPackage = "github.com/mdlayher/netlink"

type event struct{ Action, Package, Test, Output string }

// results maps "package test" to the last pass, fail or skip of each test
// in a go test -json stream; the package's own result is under "package".
func results(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := map[string]string{}
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 64<<20)
	for s.Scan() {
		var e event
		if json.Unmarshal(s.Bytes(), &e) != nil || e.Package == "" {
			continue // build output and other non-JSON lines
		}
		switch e.Action {
		case "pass", "fail", "skip":
			key := e.Package
			if e.Test != "" {
				key += " " + e.Test
			}
			r[key] = e.Action
		}
	}
	return r, s.Err()
}

func tally(namesPath, original, ours string) error {
	b, err := os.ReadFile(namesPath)
	if err != nil {
		return err
	}
	white := map[string]bool{}
	for _, n := range strings.Fields(string(b)) {
		white[n] = true
	}
	// group tells the white-box tests of the root package from the rest.
	group := func(key string) string {
		pkg, test, _ := strings.Cut(key, " ")
		top, _, _ := strings.Cut(test, "/")
		if pkg == rootPackage && white[top] {
			return "white-box"
		}
		return "black-box"
	}
	var all [2]map[string]string
	for i, p := range []string{original, ours} {
		if all[i], err = results(p); err != nil {
			return err
		}
	}
	for _, g := range []string{"black-box", "white-box"} {
		for i, who := range []string{"v1.11.2", "this tree"} {
			n := map[string]int{}
			for k, v := range all[i] {
				if strings.Contains(k, " ") && group(k) == g {
					n[v]++
				}
			}
			fmt.Printf("%-9s %-9s %4d passed, %d failed, %d skipped\n", g, who, n["pass"], n["fail"], n["skip"])
		}
	}
	// A package is listed only when none of its tests is: its failure
	// then has another cause, such as a build error or a panic.
	var lost []string
	pkgLost := map[string]bool{}
	for k, v := range all[0] {
		if pkg, _, ok := strings.Cut(k, " "); ok && v == "pass" && all[1][k] != "pass" {
			lost = append(lost, k)
			pkgLost[pkg] = true
		}
	}
	for k, v := range all[0] {
		if !strings.Contains(k, " ") && !pkgLost[k] && v == "pass" && all[1][k] != "pass" {
			lost = append(lost, k)
		}
	}
	sort.Strings(lost)
	for _, k := range lost {
		fmt.Println("LOST", k)
	}
	return nil
}

// maxOutput bounds the lines printed for one test.
const maxOutput = 20

func output(path string, keys []string) error {
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lines := map[string][]string{}
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 64<<20)
	for s.Scan() {
		var e event
		if json.Unmarshal(s.Bytes(), &e) != nil || e.Action != "output" {
			continue
		}
		k := e.Package + " " + e.Test
		t := strings.TrimSpace(e.Output)
		if !want[k] || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- ") {
			continue
		}
		lines[k] = append(lines[k], strings.TrimRight(e.Output, "\n"))
	}
	for _, k := range keys {
		if len(lines[k]) == 0 {
			continue
		}
		fmt.Printf("  %s:\n", k)
		for i, l := range lines[k] {
			if i == maxOutput {
				fmt.Printf("    ... %d more lines\n", len(lines[k])-maxOutput)
				break
			}
			fmt.Printf("    %s\n", l)
		}
	}
	return s.Err()
}
