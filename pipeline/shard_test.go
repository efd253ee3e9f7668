package pipeline

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		err  string // part of the error; "" for none
	}{
		{"0/3", Shard{0, 3}, ""},
		{"2/3", Shard{2, 3}, ""},
		{" 0/1 ", Shard{0, 1}, ""},
		{"3/3", Shard{}, "want 0 to 2 (the index counts from 0)"},
		{"-1/3", Shard{}, "want 0 to 2"},
		{"1/0", Shard{}, "shard count 0: want 1 to 10000"},
		{"0/10001", Shard{}, "shard count 10001"},
		{"1", Shard{}, "want INDEX/COUNT"},
		{"a/3", Shard{}, "two whole numbers"},
		{"1/3/4", Shard{}, "two whole numbers"},
	} {
		got, err := ParseShard(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseShard(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseShard(%q) error %v; want one saying %q", tc.in, err, tc.err)
		}
	}
}

// Every shipment belongs to exactly one shard of a count, and shards of
// count 1 (or the zero Shard) own everything.
func TestShardsPartition(t *testing.T) {
	ids := make([]string, 500)
	for i := range ids {
		ids[i] = fmt.Sprintf("SHP-%04d", i)
	}
	for _, n := range []int{1, 2, 3, 4, 7} {
		per := make([]int, n)
		for _, id := range ids {
			owners := 0
			for i := range n {
				if (Shard{Index: i, Count: n}).Owns(id) {
					owners++
					per[i]++
				}
			}
			if owners != 1 {
				t.Fatalf("%s has %d owners among %d shards", id, owners, n)
			}
		}
		// A hash that sent everything to one shard would partition too;
		// a fair one gives each of 500 ids' shards a share near 500/n.
		for i, c := range per {
			if c < len(ids)/n/2 {
				t.Errorf("%d shards: shard %d got %d of %d shipments", n, i, c, len(ids))
			}
		}
	}
	if !(Shard{}).Owns("anything") {
		t.Error("the zero Shard does not own a shipment")
	}
}

// The share is part of how operators plan machines and read logs: it must
// not change between machines, runs or releases. These are the sample
// program's shipments over 3 shards.
func TestShardStable(t *testing.T) {
	want := map[string]int{
		"APL26-TH-01": 0, "APL26-VN-02": 0, "APL26-BR-03": 0,
		"APL26-VN-01": 1, "APL26-TH-02": 1, "APL26-RET-BR-01": 1,
		"APL26-ID-01": 2, "APL26-PH-01": 2, "APL26-CL-01": 2,
	}
	for id, i := range want {
		if got := Of(id, 3); got != i {
			t.Errorf("%s is in shard %d of 3, was %d", id, got, i)
		}
	}
}
