package secrets

// keywordDFA finds every occurrence of a set of keywords, ASCII
// case-insensitively, in one pass: an Aho–Corasick automaton turned into a
// full DFA over byte classes, with state ids premultiplied by the number of
// classes so that the inner loop is one table load per byte.
//
// Written here rather than taken from a library: the prefilter is the hot
// path of every scan, and the Go Aho–Corasick packages measured 180–270 MB/s
// on Go source against 700 MB/s for one chain of this table and 1.8 GB/s
// for four (BenchmarkPrefilter), and one of them needs a lower-cased copy
// of the input.
type keywordDFA struct {
	classes [256]uint16
	nclass  uint32
	trans   []uint32 // premultiplied state × class → premultiplied state
	// States at or above firstOut have outputs; out is indexed by
	// state/nclass - firstOut/nclass.
	firstOut uint32
	out      [][]int32 // keyword indexes ending at the state
	lens     []int     // keyword lengths
	maxLen   int       // the longest keyword
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// newKeywordDFA builds the automaton; keywords must be non-empty.
func newKeywordDFA(keywords []string) *keywordDFA {
	d := &keywordDFA{}
	// Byte classes: one per distinct (lower-cased) keyword byte, class 0
	// for every other byte.
	var classOf [256]uint16
	n := uint16(1)
	for _, k := range keywords {
		for i := 0; i < len(k); i++ {
			c := lowerASCII(k[i])
			if classOf[c] == 0 {
				classOf[c] = n
				n++
			}
		}
	}
	for b := 0; b < 256; b++ {
		d.classes[b] = classOf[lowerASCII(byte(b))]
	}
	d.nclass = uint32(n)
	nc := int(n)

	// The trie.
	type node struct {
		next []int32 // by class; 0 = none (the root is never a child)
		fail int32
		out  []int32
	}
	nodes := []node{{next: make([]int32, nc)}}
	for ki, k := range keywords {
		d.lens = append(d.lens, len(k))
		d.maxLen = max(d.maxLen, len(k))
		s := int32(0)
		for i := 0; i < len(k); i++ {
			c := d.classes[k[i]]
			if nodes[s].next[c] == 0 {
				nodes = append(nodes, node{next: make([]int32, nc)})
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].out = append(nodes[s].out, int32(ki))
	}
	// Failure links breadth first, completing the transitions into a DFA.
	queue := make([]int32, 0, len(nodes))
	for c := 1; c < nc; c++ {
		if t := nodes[0].next[c]; t != 0 {
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := 0; c < nc; c++ {
			if t := nodes[s].next[c]; t != 0 && c != 0 {
				nodes[t].fail = nodes[f].next[c]
				if nodes[t].fail == t {
					nodes[t].fail = 0
				}
				queue = append(queue, t)
			} else {
				nodes[s].next[c] = nodes[f].next[c]
			}
		}
	}
	// Renumber so that states with outputs come last: one comparison per
	// byte tells whether anything ended.
	newID := make([]uint32, len(nodes))
	next := uint32(0)
	for pass := 0; pass < 2; pass++ {
		for i := range nodes {
			if (len(nodes[i].out) > 0) == (pass == 1) {
				newID[i] = next
				next++
			}
		}
		if pass == 0 {
			d.firstOut = next * d.nclass
		}
	}
	d.trans = make([]uint32, len(nodes)*nc)
	d.out = make([][]int32, len(nodes)-int(d.firstOut/d.nclass))
	for i := range nodes {
		id := newID[i]
		for c := 0; c < nc; c++ {
			d.trans[int(id)*nc+c] = newID[nodes[i].next[c]] * d.nclass
		}
		if len(nodes[i].out) > 0 {
			d.out[id-d.firstOut/d.nclass] = nodes[i].out
		}
	}
	return d
}

// scan calls hit for every keyword occurrence in data, in order of its end,
// with the offset of its first byte.
//
// One chain of the loop is bound by the latency of a table load per byte,
// so a large buffer is scanned as four quarters at once: four independent
// chains keep the core busy (2.6× one chain, BenchmarkPrefilter). Each
// quarter after the first starts as many bytes early as the longest
// keyword, from the start state, so that a keyword across its beginning
// is found, and reports only the keywords that end inside it. A quarter's
// hits are held until the quarters before it are out.
func (d *keywordDFA) scan(data []byte, hit func(start int, kw int32)) {
	if len(data) < 4*splitMin {
		d.scanOne(data, hit)
		return
	}
	q := len(data) / 4
	f1, f2, f3 := q-d.maxLen+1, 2*q-d.maxLen+1, 3*q-d.maxLen+1 // where quarters 1-3 start reading
	skip := d.maxLen - 1                                       // bytes each reads before its quarter
	a0, a1, a2, a3 := data[:q], data[f1:f1+q], data[f2:f2+q], data[f3:f3+q]
	_, _, _ = a1[q-1], a2[q-1], a3[q-1] // no bounds checks in the loop
	trans, classes, firstOut, nclass := d.trans, &d.classes, d.firstOut, d.nclass
	var s0, s1, s2, s3 uint32
	var held [3][]uint64 // end<<32 | keyword, for quarters 1-3
	for i := 0; i < q; i++ {
		s0 = trans[s0+uint32(classes[a0[i]])]
		s1 = trans[s1+uint32(classes[a1[i]])]
		s2 = trans[s2+uint32(classes[a2[i]])]
		s3 = trans[s3+uint32(classes[a3[i]])]
		if s0 >= firstOut {
			for _, k := range d.out[(s0-firstOut)/nclass] {
				hit(i+1-d.lens[k], k)
			}
		}
		if s1 >= firstOut && i >= skip {
			held[0] = d.hold(held[0], s1, f1+i)
		}
		if s2 >= firstOut && i >= skip {
			held[1] = d.hold(held[1], s2, f2+i)
		}
		if s3 >= firstOut && i >= skip {
			held[2] = d.hold(held[2], s3, f3+i)
		}
	}
	// Quarter 0 is done; each of the others releases what it held and
	// reads on to its end.
	for j, st := range [3]uint32{s1, s2, s3} {
		for _, h := range held[j] {
			end, k := int(h>>32), int32(uint32(h))
			hit(end+1-d.lens[k], k)
		}
		from, to := (j+1)*q-skip+q, (j+2)*q
		if j == 2 {
			to = len(data)
		}
		for i := from; i < to; i++ {
			st = trans[st+uint32(classes[data[i]])]
			if st >= firstOut {
				for _, k := range d.out[(st-firstOut)/nclass] {
					hit(i+1-d.lens[k], k)
				}
			}
		}
	}
}

// hold appends the keywords ending at end in state s to held.
func (d *keywordDFA) hold(held []uint64, s uint32, end int) []uint64 {
	for _, k := range d.out[(s-d.firstOut)/d.nclass] {
		held = append(held, uint64(end)<<32|uint64(uint32(k)))
	}
	return held
}

// splitMin is the quarter size under which scan runs one chain.
const splitMin = 1 << 10

// scanOne is scan as one chain.
func (d *keywordDFA) scanOne(data []byte, hit func(start int, kw int32)) {
	trans, classes, firstOut := d.trans, &d.classes, d.firstOut
	s := uint32(0)
	for i, b := range data {
		s = trans[s+uint32(classes[b])]
		if s >= firstOut {
			for _, k := range d.out[(s-firstOut)/d.nclass] {
				hit(i+1-d.lens[k], k)
			}
		}
	}
}
