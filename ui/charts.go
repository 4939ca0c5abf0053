package ui

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// barChart is a horizontal bar chart drawn on the server as SVG: one row
// per language, one bar per series, the number written at the bar's end so
// the chart reads without hovering.
type barChart struct {
	ID     string
	Title  string
	Series []string // legend names; one bar per series in each row
	Rows   []chartRow
	// Max is the axis's end; 0 takes the largest value, rounded up.
	Max float64
	// Label formats a value for the bar's end and the axis.
	Label func(float64) string
	// NoData is written where a row has no value for a series.
	NoData string
}

type chartRow struct {
	Label  string
	Values []*float64 // nil: no data
	Focus  bool       // the row the page is about
}

// Geometry, in SVG user units (CSS pixels at 100%). The label column is as
// wide as the longest label needs.
const (
	chartPlotW   = 480
	chartLabelW  = 120 // at least
	chartValueW  = 80
	chartBarH    = 14
	chartBarGap  = 3
	chartRowPad  = 12
	chartLegendH = 24
	chartAxisH   = 22
)

// SVG renders the chart. Every text is escaped; the element is
// role="img" with the title as its accessible name.
func (c barChart) SVG() template.HTML {
	axisMax := c.Max
	if axisMax <= 0 {
		for _, r := range c.Rows {
			for _, v := range r.Values {
				if v != nil && *v > axisMax {
					axisMax = *v
				}
			}
		}
		axisMax = niceCeil(axisMax)
	}
	labelW := chartLabelW
	for _, r := range c.Rows {
		labelW = max(labelW, textWidth(r.Label)+20)
	}
	chartWidth := labelW + chartPlotW + chartValueW
	plotW := float64(chartPlotW)
	top := 0
	if len(c.Series) > 1 {
		top = chartLegendH
	}
	rowH := len(c.Series)*(chartBarH+chartBarGap) - chartBarGap + chartRowPad
	height := top + len(c.Rows)*rowH + chartAxisH

	var b strings.Builder
	esc := html.EscapeString
	titleID := c.ID + "-title"
	fmt.Fprintf(&b, `<svg class="chart" id="%s" role="img" aria-labelledby="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		esc(c.ID), esc(titleID), chartWidth, height, chartWidth, height)
	fmt.Fprintf(&b, `<title id="%s">%s</title>`, esc(titleID), esc(c.Title))
	if len(c.Series) > 1 {
		x := labelW
		for i, name := range c.Series {
			fmt.Fprintf(&b, `<rect class="bar s%d" x="%d" y="5" width="12" height="12"/>`, i, x)
			fmt.Fprintf(&b, `<text class="legend" x="%d" y="15">%s</text>`, x+18, esc(name))
			x += 18 + textWidth(name) + 24
		}
	}
	// Grid lines and axis labels at quarters of the axis.
	axisY := top + len(c.Rows)*rowH
	for q := 0; q <= 4; q++ {
		x := float64(labelW) + plotW*float64(q)/4
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`, x, top, x, axisY)
		anchor := "middle"
		if q == 0 {
			anchor = "start"
		}
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="%s">%s</text>`, x, axisY+16, anchor, esc(c.Label(axisMax*float64(q)/4)))
	}
	for i, r := range c.Rows {
		y := top + i*rowH + chartRowPad/2
		class := "row"
		if r.Focus {
			class += " focus"
			fmt.Fprintf(&b, `<rect class="focus-band" x="0" y="%d" width="%d" height="%d"/>`, y-chartRowPad/2, chartWidth, rowH)
		}
		fmt.Fprintf(&b, `<g class="%s">`, class)
		mid := y + (rowH-chartRowPad)/2 + 5
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, labelW-10, mid, esc(r.Label))
		for s, v := range r.Values {
			by := y + s*(chartBarH+chartBarGap)
			if v == nil || math.IsNaN(*v) {
				fmt.Fprintf(&b, `<text class="value none" x="%d" y="%d">%s</text>`, labelW+4, by+chartBarH-3, esc(c.NoData))
				continue
			}
			w := 0.0
			if axisMax > 0 {
				w = math.Min(*v/axisMax, 1) * plotW
			}
			fmt.Fprintf(&b, `<rect class="bar s%d" x="%d" y="%d" width="%.1f" height="%d"/>`, s, labelW, by, w, chartBarH)
			fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%d">%s</text>`, float64(labelW)+w+5, by+chartBarH-3, esc(c.Label(*v)))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every piece is escaped or a number
}

// niceCeil rounds an axis maximum up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// textWidth estimates the width of a 12px legend: wide (CJK) characters
// take about an em, others a little over half of one.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 {
			n += 13
		} else {
			n += 7
		}
	}
	return n
}
