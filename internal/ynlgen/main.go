// Command ynlgen turns the kernel's YNL netlink specs into the Go tables of
// package ynl: one file per family holding a spec.Family, and a file
// listing them all.
//
// It reads the specs (Documentation/netlink/specs/*.yaml, gzipped or not)
// from the directory given with -specs and the schemas from its parent, and
// writes gofmt'd, deterministic Go source into -out. It is a module of its
// own so that its YAML parser never becomes a requirement of the netlink
// module; package ynl runs it through go generate, and a test there
// regenerates the tables and compares them with the committed ones.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("ynlgen: ")
	specs := flag.String("specs", "", "directory of the YNL specs (Documentation/netlink/specs)")
	out := flag.String("out", "", "directory to write the tables to")
	pkg := flag.String("pkg", "tables", "package name of the tables (of the typed package with -typed)")
	typed := flag.Bool("typed", false, "write the typed Go package of one family (-family) instead of the tables")
	family := flag.String("family", "", "with -typed: the family (rt-link, netdev, ...), or all for a package of every spec in a directory of -out each")
	flag.Parse()
	if *specs == "" || *out == "" || flag.NArg() != 0 || *typed != (*family != "") {
		flag.Usage()
		os.Exit(2)
	}
	if *typed {
		var err error
		switch {
		case *family == "all":
			err = runTypedAll(*specs, *out)
		default:
			p := *pkg
			if p == "tables" {
				p = ""
			}
			err = runTyped(*specs, *family, p, *out)
		}
		if err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := run(*specs, *out, *pkg); err != nil {
		log.Fatal(err)
	}
}

func run(specDir, outDir, pkg string) error {
	if err := checkSchemas(filepath.Dir(filepath.Clean(specDir))); err != nil {
		return err
	}
	files, err := generate(specDir, pkg)
	if err != nil {
		return err
	}
	// Stale tables of specs that are gone would otherwise linger.
	old, err := filepath.Glob(filepath.Join(outDir, "z*.go"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if _, ok := files[filepath.Base(f)]; !ok {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(outDir, name), src, 0o644); err != nil {
			return fmt.Errorf("writing tables: %w", err)
		}
	}
	return nil
}
