package archtest

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// listed is what go list says of a package.
type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
	Error      *struct{ Err string }
}

// goList lists the module's packages in one build configuration.
func goList(t *testing.T, goTool, root string, env []string, tags string) []listed {
	t.Helper()
	cmd := exec.Command(goTool, "list", "-e", "-tags", tags, "-json=ImportPath,Dir,GoFiles,Imports,Deps,Error", "./...")
	cmd.Dir = root
	cmd.Env = append(cmd.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -tags %q: %v", tags, err)
	}
	var pkgs []listed
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			return pkgs
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Error != nil {
			t.Errorf("%s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p)
	}
}

// TestRules checks the tree against Rules: every package has a row, imports
// only what its row allows, depends on nothing it forbids, and reads no
// clock if it must not.
func TestRules(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	out, err := exec.Command(goTool, "list", "-m", "-f", "{{.Path}} {{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	module, root, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	rules := map[string]Rule{}
	for _, r := range Rules {
		if _, dup := rules[r.Pkg]; dup {
			t.Errorf("%s: two rows", r.Pkg)
		}
		rules[r.Pkg] = r
	}
	project := func(path string) (string, bool) {
		if path == module {
			return ".", true
		}
		rel, ok := strings.CutPrefix(path, module+"/")
		return rel, ok
	}

	inTree := map[string]bool{}
	used := map[string]bool{} // "pkg -> import" of Temp rows
	for _, build := range []struct {
		tags string
		env  []string
	}{{"", []string{"CGO_ENABLED=0"}}, {"pcap", []string{"CGO_ENABLED=1"}}} {
		for _, p := range goList(t, goTool, root, build.env, build.tags) {
			pkg, _ := project(p.ImportPath)
			r, ok := rules[pkg]
			if !ok {
				if !inTree[pkg] {
					t.Errorf("package %s has no row in internal/archtest/rules.go", pkg)
				}
				inTree[pkg] = true
				continue
			}
			inTree[pkg] = true
			for _, imp := range p.Imports {
				dep, ok := project(imp)
				switch {
				case !ok || slices.Contains(r.Allow, "*") || slices.Contains(r.Allow, dep):
				case slices.Contains(r.Temp, dep):
					used[pkg+" -> "+dep] = true
				default:
					t.Errorf("%s imports %s (tags %q): not in its row of internal/archtest/rules.go", pkg, dep, build.tags)
				}
			}
			if build.tags != "" {
				continue
			}
			for _, dep := range p.Deps {
				for _, f := range r.Forbid {
					if dep == f || strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f) {
						t.Errorf("%s depends on %s, which its row forbids", pkg, dep)
					}
				}
			}
			if r.NoClock {
				for _, f := range p.GoFiles {
					for _, at := range clockCalls(t, filepath.Join(p.Dir, f), nil) {
						t.Errorf("%s: reads the wall clock (capture time drives %s)", at, pkg)
					}
				}
			}
		}
	}
	for _, r := range Rules {
		if !inTree[r.Pkg] {
			t.Logf("%s is not in the tree (yet): its row is not checked", r.Pkg)
			continue
		}
		for _, dep := range r.Temp {
			switch {
			case used[r.Pkg+" -> "+dep]:
			case !inTree[dep]:
				t.Logf("temporary exception %s -> %s: %s is not in the tree", r.Pkg, dep, dep)
			default:
				t.Errorf("temporary exception %s -> %s is no longer needed: delete it from internal/archtest/rules.go", r.Pkg, dep)
			}
		}
	}
}

// clockCalls returns the positions of the calls of ClockCalls in a file (or
// in src, when it is not nil), whatever the import of "time" is named.
func clockCalls(t *testing.T, path string, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	var text any
	if src != nil {
		text = src
	}
	f, err := parser.ParseFile(fset, path, text, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	name := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "time" {
			name = "time"
			if imp.Name != nil {
				name = imp.Name.Name
			}
		}
	}
	var at []string
	if name == "" || name == "_" {
		return nil
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == name && slices.Contains(ClockCalls, sel.Sel.Name) {
				at = append(at, fset.Position(sel.Pos()).String()+": time."+sel.Sel.Name)
			}
		}
		return true
	})
	return at
}

// TestClockCalls: the clock check finds a call, a function value and a
// renamed import, and leaves durations and capture times alone.
func TestClockCalls(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{
		{"package p\nimport \"time\"\nvar a = time.Now()\nvar b = time.Since\n", 2},
		{"package p\nimport clock \"time\"\nfunc f() { clock.Sleep(clock.Second) }\n", 1},
		{"package p\nimport \"time\"\nvar d = time.Second\nfunc f(t time.Time) time.Time { return t.Add(d) }\n", 0},
	} {
		if got := clockCalls(t, "p.go", []byte(c.src)); len(got) != c.want {
			t.Errorf("%q: %v, want %d calls", c.src, got, c.want)
		}
	}
}
