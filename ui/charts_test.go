package ui

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
)

func f(v float64) *float64 { return &v }

func TestBarChartIsWellFormedSVG(t *testing.T) {
	c := barChart{
		ID: "c", Title: `覆盖率 <&>`, Series: []string{"中位数", "p90"}, NoData: "无数据",
		Label: func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
		Rows: []chartRow{
			{Label: "维吾尔语 · ug", Values: []*float64{f(5), f(20)}, Focus: true},
			{Label: `<script>`, Values: []*float64{nil, f(10)}},
		},
	}
	svg := string(c.SVG())
	dec := xml.NewDecoder(strings.NewReader(svg))
	var rects, texts int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "rect":
				rects++
			case "text":
				texts++
			}
		}
	}
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "&lt;script&gt;") || !strings.Contains(svg, "覆盖率 &lt;&amp;&gt;") {
		t.Errorf("labels are not escaped:\n%s", svg)
	}
	// Legend 2, focus band 1, bars 3 (one value is missing).
	if rects != 6 {
		t.Errorf("%d rects, want 6:\n%s", rects, svg)
	}
	if !strings.Contains(svg, "无数据") || !strings.Contains(svg, `<g class="row focus">`) || !strings.Contains(svg, `role="img"`) {
		t.Errorf("missing no-data text, focus or role:\n%s", svg)
	}
	// The axis ends at 20 (the largest value, rounded up), so 5 is a quarter.
	if !strings.Contains(svg, `width="120.0"`) || !strings.Contains(svg, `width="480.0"`) {
		t.Errorf("bar widths are not proportional:\n%s", svg)
	}
}

func TestNiceCeil(t *testing.T) {
	for in, want := range map[float64]float64{0: 1, 0.7: 1, 1: 1, 3: 5, 17: 20, 20: 20, 51: 100, 130: 200} {
		if got := niceCeil(in); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", in, got, want)
		}
	}
}
