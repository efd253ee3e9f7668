package ingest

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateBad = flag.Bool("update-bad", false, "rewrite testdata/bad/*/expected.txt from what Load reports")

// TestBadCorpus loads every case of testdata/bad: each directory holds the
// malformed or hostile input files (an inventory, a plan or clearances; the
// good fixtures of testdata/ingest stand in for the ones it lacks) and
// expected.txt, the exact text a user is shown: the error that stops the
// load, or every problem found, one per line. A case that loads without a
// single problem fails: it is not a bad input.
func TestBadCorpus(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", "testdata", "bad"))
	if err != nil {
		t.Fatal(err)
	}
	good, err := filepath.Abs(filepath.Join("..", "..", "testdata", "ingest"))
	if err != nil {
		t.Fatal(err)
	}
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		n++
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join(root, c.Name())
			tmp := t.TempDir()
			files := Files{Inventory: "inventory.csv", Plan: "plan.yaml"}
			copyFile(t, filepath.Join(good, "inventory.csv"), filepath.Join(tmp, "inventory.csv"))
			copyFile(t, filepath.Join(good, "plan.yaml"), filepath.Join(tmp, "plan.yaml"))
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				name := e.Name()
				switch stem := strings.TrimSuffix(name, filepath.Ext(name)); stem {
				case "inventory":
					files.Inventory = name
				case "plan":
					files.Plan = name
				case "clearances":
					files.Clearances = name
				case "mapping":
					files.Mapping = name
				default:
					continue
				}
				copyFile(t, filepath.Join(dir, name), filepath.Join(tmp, name))
			}
			t.Chdir(tmp)
			var got strings.Builder
			b, err := Load(context.Background(), files, Limits{})
			if err != nil {
				got.WriteString(err.Error() + "\n")
			} else {
				for _, p := range b.Problems {
					got.WriteString(p.Error() + "\n")
				}
			}
			if got.Len() == 0 {
				t.Fatalf("loaded without a single problem: not a bad input")
			}
			exp := filepath.Join(dir, "expected.txt")
			if *updateBad {
				if err := os.WriteFile(exp, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(exp)
			if err != nil {
				t.Fatalf("%v (run go test -run TestBadCorpus -update-bad to write it)", err)
			}
			if got.String() != string(want) {
				t.Errorf("Load reports:\n%s\nexpected.txt says:\n%s", got.String(), want)
			}
		})
	}
	if n < 40 {
		t.Errorf("only %d cases in testdata/bad; the corpus promises at least 40", n)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
