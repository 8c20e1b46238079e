// Command gentables writes the tables of kernel constants that nlctl and
// package nlfacts use, taking every name and value from golang.org/x/sys/unix
// as built for linux/amd64. It type-checks unix from source with go/types, so
// it needs no dependency beyond the standard library and the module's own
// requirement on x/sys.
//
// Run it through go generate in cmd/nlctl. Its output is committed; a test
// regenerates it and fails when the result differs.
package main

import (
	"flag"
	"fmt"
	"go/build"
	"go/constant"
	"go/importer"
	"go/token"
	"go/types"
	"log"
	"os"
	"path/filepath"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gentables: ")
	nlctlDir := flag.String("nlctl", "", "directory of package main of nlctl")
	factsDir := flag.String("nlfacts", "", "directory of package nlfacts")
	flag.Parse()
	if *nlctlDir == "" || *factsDir == "" || flag.NArg() != 0 {
		log.Fatal("usage: gentables -nlctl DIR -nlfacts DIR")
	}
	u, err := loadUnix()
	if err != nil {
		log.Fatal(err)
	}
	files, err := generate(u)
	if err != nil {
		log.Fatal(err)
	}
	dirs := map[string]string{"nlctl": *nlctlDir, "nlfacts": *factsDir}
	for _, f := range files {
		path := filepath.Join(dirs[f.pkg], f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// A unixConst is one integer constant of package unix.
type unixConst struct {
	name  string
	value uint64
	file  string // base name of the file declaring it
	pos   token.Pos
}

// A unixPkg holds the integer constants of package unix.
type unixPkg struct {
	consts []unixConst // in declaration order: by file name, then position
	byName map[string]unixConst
}

// loadUnix type-checks golang.org/x/sys/unix for linux/amd64 and collects
// its non-negative integer constants.
func loadUnix() (*unixPkg, error) {
	// The source importer resolves imports through build.Default.
	build.Default.GOOS = "linux"
	build.Default.GOARCH = "amd64"
	build.Default.CgoEnabled = false
	fset := token.NewFileSet()
	pkg, err := importer.ForCompiler(fset, "source", nil).Import("golang.org/x/sys/unix")
	if err != nil {
		return nil, fmt.Errorf("loading golang.org/x/sys/unix: %v", err)
	}
	u := &unixPkg{byName: make(map[string]unixConst)}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		c, ok := scope.Lookup(name).(*types.Const)
		if !ok || c.Val().Kind() != constant.Int {
			continue
		}
		v, exact := constant.Uint64Val(c.Val())
		if !exact {
			continue
		}
		uc := unixConst{name: name, value: v, file: filepath.Base(fset.Position(c.Pos()).Filename), pos: c.Pos()}
		u.consts = append(u.consts, uc)
		u.byName[name] = uc
	}
	sortConsts(u.consts)
	return u, nil
}
