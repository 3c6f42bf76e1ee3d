package shipshape_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoInternalTypesInAPI fails when an exported identifier of a
// library package (of any module of the repository) mentions a type of an
// internal package in its declaration: a function's parameters or
// results, a method of an exported type, an exported field, an alias. A
// caller can see such a name in go doc but never build or read the
// value, which is what the layer package was made public to end.
func TestNoInternalTypesInAPI(t *testing.T) {
	root := "."
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "testdata", ".git", "tools":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || isInternal(filepath.ToSlash(p)) {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if f.Name.Name == "main" {
			return nil
		}
		checked++
		for _, bad := range internalMentions(f) {
			t.Errorf("%s: exported %s mentions %s, a type of an internal package", fset.Position(bad.pos), bad.name, bad.what)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked %d files: not the repository", checked)
	}
}

// TestInternalMentionsFound: the check sees the shapes of leak it is
// for, so that it cannot pass by seeing nothing.
func TestInternalMentionsFound(t *testing.T) {
	src := `package p
import (
	"github.com/shipshape-dev/shipshape/internal/walk"
	w2 "github.com/shipshape-dev/shipshape/sign/internal/fulcioapi"
	"github.com/shipshape-dev/shipshape/result"
)
type Progress = walk.Progress
type Pass struct { Layers []walk.Layer; hidden walk.Layer; result.FileError }
type Embeds struct { walk.Visitor }
func (p *Pass) Visitors() []walk.Visitor { return nil }
func (p *Pass) finish(walk.Result) {}
func New(x map[string]*w2.Request) {}
type I interface { Run(func(walk.Header)) error }
var V walk.Options
type hidden struct{ W walk.Layer }
func fine(walk.Layer) {}
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range internalMentions(f) {
		got = append(got, m.name+":"+m.what)
	}
	want := "Progress:walk.Progress Pass.Layers:walk.Layer Embeds:walk.Visitor Pass.Visitors:walk.Visitor New:w2.Request I:walk.Header V:walk.Options"
	if strings.Join(got, " ") != want {
		t.Errorf("found %v\nwant     %s", got, want)
	}
}

func isInternal(importPath string) bool {
	return strings.HasPrefix(importPath, "internal/") || strings.Contains(importPath, "/internal/") || strings.HasSuffix(importPath, "/internal")
}

type mention struct {
	pos  token.Pos
	name string // the exported identifier
	what string // the selector naming the internal type
}

// internalMentions lists the exported declarations of f that name a type
// of an imported internal package.
func internalMentions(f *ast.File) []mention {
	internal := map[string]bool{} // import names of internal packages
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if !isInternal(p) {
			continue
		}
		name := path.Base(p)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		internal[name] = true
	}
	if len(internal) == 0 {
		return nil
	}
	var out []mention
	scan := func(name string, n ast.Node) {
		if n == nil {
			return
		}
		ast.Inspect(n, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && internal[id.Name] {
					out = append(out, mention{pos: x.Pos(), name: name, what: id.Name + "." + x.Sel.Name})
				}
			case *ast.FuncLit, *ast.BlockStmt:
				return false // bodies are not the API
			case *ast.StructType:
				for _, fld := range x.Fields.List {
					if len(fld.Names) == 0 || anyExported(fld.Names) {
						ast.Inspect(fld.Type, func(n ast.Node) bool {
							if s, ok := n.(*ast.SelectorExpr); ok {
								if id, ok := s.X.(*ast.Ident); ok && internal[id.Name] {
									field := name
									if len(fld.Names) > 0 {
										field += "." + fld.Names[0].Name
									}
									out = append(out, mention{pos: s.Pos(), name: field, what: id.Name + "." + s.Sel.Name})
								}
							}
							return true
						})
					}
				}
				return false
			}
			return true
		})
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil {
				recv := receiverName(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue
				}
				name = recv + "." + name
			}
			scan(name, d.Type)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() {
						if s.TypeParams != nil {
							scan(s.Name.Name, s.TypeParams)
						}
						scan(s.Name.Name, s.Type)
					}
				case *ast.ValueSpec:
					if anyExported(s.Names) {
						scan(s.Names[0].Name, s.Type)
					}
				}
			}
		}
	}
	return out
}

func anyExported(ids []*ast.Ident) bool {
	for _, id := range ids {
		if id.IsExported() {
			return true
		}
	}
	return false
}

func receiverName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return receiverName(x.X)
	case *ast.IndexExpr:
		return receiverName(x.X)
	case *ast.IndexListExpr:
		return receiverName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return ""
}
