package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// WriteHTML writes report.html: one self-contained page (inline CSS, charts
// embedded as PNG data, no script, no network) with the scenario in a
// sentence, the headline figures, the charts and the tables. charts may be
// nil, in which case they are built from r.
func WriteHTML(w io.Writer, r *sim.Result, sc *model.Scenario, charts []*Chart) error {
	if charts == nil {
		var err error
		if charts, err = Charts(r, sc); err != nil {
			return err
		}
	}
	loc := location(r, sc)
	v := htmlView{Title: r.Scenario, Sentence: ScenarioSentence(r, sc), Verdict: verdictPlain(r)}
	for _, w := range r.Warnings {
		v.Warnings = append(v.Warnings, w.Message)
	}
	for _, c := range r.Channels {
		v.Headlines = append(v.Headlines, headline{
			Label: c.Name + " service level", Value: percent(c.ServiceLevel.Mean),
			Detail: ciOf(pctStat(c.ServiceLevel)) + " · target " + slaText(c.Target, c.WithinSeconds, c.Clock),
			Met:    met(c.ServiceLevel, c.Target), Mark: true})
	}
	v.Headlines = append(v.Headlines,
		headline{Label: "total cost", Value: Money(r.Cost.Total.Mean), Detail: ciOf(moneyStat(r.Cost.Total))},
		headline{Label: "per resolved ticket", Value: Money(r.Cost.PerResolved.Mean), Detail: ciOf(moneyStat(r.Cost.PerResolved))})
	for _, t := range r.Tiers {
		v.Headlines = append(v.Headlines, headline{Label: t.Name + " occupancy", Value: percent(t.Occupancy.Mean),
			Detail: ciOf(pctStat(t.Occupancy)) + " · " + count(t.Handled.Mean) + " handled"})
	}
	if err := addCharts(&v, charts); err != nil {
		return err
	}
	v.Tables = []htmlTable{
		fromTable("Service level", "Share of offered contacts answered (deferred: first reply) within the target time; ± is the 95% confidence interval over replications.", serviceTable(r)),
	}
	if tt := tailTable(r, loc); len(tt.rows) > 0 {
		v.Tables = append(v.Tables, fromTable("End of period", "Contacts still open when the period ended. Those not yet past their target have no outcome yet: they are left out of offered and of the service level, and \"tail from\" is the interval from which every interval still holds some. Those already past their target are counted as missed.", tt))
	}
	v.Tables = append(v.Tables,
		fromTable("Waits and queues", "ASA is the average speed of answer; for deferred channels, the mean time to first reply.", waitTable(r, loc)),
		fromTable("Agents", "Occupancy is busy time ÷ time staffed and not on break.", agentTable(r)),
		fromTable("Cost", "Staffed hours × hourly cost of the salary band (salary × (1 + benefits) ÷ paid hours), plus automation per deflected ticket.", costTable(r)),
	)
	if wt := worstTable(r, loc, 10); len(wt.rows) > 0 {
		v.Tables = append(v.Tables, fromTable("Worst intervals", "Lowest service level among intervals with at least one contact offered on average, before the end-of-period tail (where undecided contacts are left out); among equal levels, the intervals with most contacts first.", wt))
	}
	v.Footer = fmt.Sprintf("slasim · %s · seed %d · %s · generated from the run's result; times in %s",
		r.Scenario, r.Seed, plural(r.Replications, "replication"), r.Start.In(loc).Format("MST"))
	return htmlPage.Execute(w, v)
}

// addCharts embeds the charts in the page as PNG data.
func addCharts(v *htmlView, charts []*Chart) error {
	for _, c := range charts {
		var b bytes.Buffer
		if err := c.WritePNG(&b, 0); err != nil {
			return fmt.Errorf("chart %s: %w", c.Name, err)
		}
		w, h := c.Size()
		v.Charts = append(v.Charts, htmlChart{Name: c.Name, Title: c.Title, Caption: c.Caption,
			Src:   template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())),
			Width: int(w.Points() * 96 / 72), Height: int(h.Points() * 96 / 72)})
	}
	return nil
}

type htmlView struct {
	Title, Sentence, Verdict string
	Warnings                 []string
	Headlines                []headline
	Charts                   []htmlChart
	Tables                   []htmlTable
	Footer                   string
}

type headline struct {
	Label, Value, Detail string
	Mark, Met            bool
}

type htmlChart struct {
	Name, Title, Caption string
	Src                  template.URL
	Width, Height        int
}

type htmlTable struct {
	Title, Note string
	Head        []htmlCell
	Rows        [][]htmlCell
}

type htmlCell struct {
	Text  string
	Class string
	Right bool
}

func fromTable(title, note string, t *table) htmlTable {
	h := htmlTable{Title: title, Note: note}
	for i, s := range t.head {
		h.Head = append(h.Head, htmlCell{Text: s, Right: i < len(t.right) && t.right[i]})
	}
	for _, r := range t.rows {
		var row []htmlCell
		for i := range t.head {
			c := cell{}
			if i < len(r) {
				c = r[i]
			}
			cl := ""
			switch c.text {
			case "MET":
				cl = "met"
			case "MISSED":
				cl = "missed"
			}
			if cl == "" && c.style != "" && c.style != ansiBold {
				if c.style == ansiGreen {
					cl = "good"
				} else {
					cl = "bad"
				}
			}
			text := c.text
			if i == 0 && strings.HasPrefix(text, "  ") {
				// A class row under its channel (vip, normal): indented.
				text, cl = strings.TrimSpace(text), strings.TrimSpace(cl+" sub")
			}
			row = append(row, htmlCell{Text: text, Class: cl, Right: i < len(t.right) && t.right[i]})
		}
		h.Rows = append(h.Rows, row)
	}
	return h
}

// verdictPlain is the one-line verdict without colour.
func verdictPlain(r *sim.Result) string {
	s := verdict(r, false)
	return s[:len(s)-1]
}

var htmlPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — slasim report</title>
<style>
body { font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d232b; margin: 0; background: #f5f6f8; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 40px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 34px 0 8px; border-bottom: 1px solid #d7dbe0; padding-bottom: 4px; }
.sentence { color: #46505c; margin: 0 0 6px; }
.verdict { font-weight: 600; margin: 0 0 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border: 1px solid #d7dbe0; border-radius: 8px; padding: 10px 14px; min-width: 170px; flex: 1 1 170px; }
.card .label { font-size: 13px; color: #5b6673; }
.card .value { font-size: 26px; font-weight: 700; }
.card .detail { font-size: 12px; color: #5b6673; }
.card.met { border-left: 5px solid #2ca02c; }
.card.missed { border-left: 5px solid #d62728; }
.badge { display: inline-block; font-size: 12px; font-weight: 700; border-radius: 4px; padding: 1px 6px; margin-left: 6px; vertical-align: middle; color: #fff; }
.badge.met, td.met { background: #2ca02c; color: #fff; }
.badge.missed, td.missed { background: #d62728; color: #fff; }
figure { background: #fff; border: 1px solid #d7dbe0; border-radius: 8px; margin: 14px 0; padding: 10px; }
figure img { width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; color: #46505c; margin-top: 6px; }
figcaption b { color: #1d232b; }
table { border-collapse: collapse; background: #fff; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 9px; border-bottom: 1px solid #e6e9ed; text-align: left; white-space: nowrap; }
th { background: #eef0f3; font-weight: 600; font-size: 13px; }
.r { text-align: right; }
td.met, td.missed { font-weight: 700; text-align: center; }
td.bad { color: #b11d1e; font-weight: 600; }
.note { font-size: 13px; color: #5b6673; margin: 0 0 8px; }
.scroll { overflow-x: auto; }
footer { font-size: 12px; color: #6b7683; margin-top: 36px; }
.warnings { background: #fff8e1; border: 1px solid #d9a400; border-radius: 8px; padding: 8px 14px; margin: 0 0 18px; font-size: 14px; }
.warnings ul { margin: 4px 0 0; padding-left: 20px; }
td.sub { padding-left: 28px; color: #46505c; }
@media print {
  body { background: #fff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  .scroll { overflow: visible; }
  th, td { white-space: normal; }
  figure, table, .cards { break-inside: avoid; }
  h2 { break-after: avoid; }
}
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="sentence">{{.Sentence}}</p>
<p class="verdict">{{.Verdict}}</p>
{{- if .Warnings}}
<div class="warnings"><b>Warnings</b><ul>{{range .Warnings}}<li>{{.}}</li>{{end}}</ul></div>
{{- end}}
<div class="cards">
{{- range .Headlines}}
<div class="card{{if .Mark}}{{if .Met}} met{{else}} missed{{end}}{{end}}"><div class="label">{{.Label}}{{if .Mark}}<span class="badge {{if .Met}}met">MET{{else}}missed">MISSED{{end}}</span>{{end}}</div><div class="value">{{.Value}}</div><div class="detail">{{.Detail}}</div></div>
{{- end}}
</div>
<h2>Charts</h2>
{{- range .Charts}}
<figure id="chart-{{.Name}}"><img class="chart" src="{{.Src}}" width="{{.Width}}" height="{{.Height}}" alt="{{.Title}}"><figcaption><b>{{.Title}}.</b> {{.Caption}}</figcaption></figure>
{{- end}}
{{- range .Tables}}
<h2>{{.Title}}</h2>
<p class="note">{{.Note}}</p>
<div class="scroll"><table>
<thead><tr>{{range .Head}}<th{{if .Right}} class="r"{{end}}>{{.Text}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}<td class="{{if .Right}}r {{end}}{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table></div>
{{- end}}
<footer>{{.Footer}}</footer>
</main>
</body>
</html>
`))

// maxHTMLColumns is the widest table a page shows as it is; a wider one
// (a rota over many days) is turned on its side, one row per column, so
// that every day stays on the page on screen and in print.
const maxHTMLColumns = 8

// transpose turns a table on its side: the first column becomes the
// header row and every other column a row, headed by its old header.
func transpose(t *table) *table {
	out := &table{indent: t.indent, head: []string{""}, right: []bool{false}}
	for _, r := range t.rows {
		h := ""
		if len(r) > 0 {
			h = r[0].text
		}
		out.head = append(out.head, h)
		out.right = append(out.right, true)
	}
	if len(t.head) > 0 {
		out.head[0] = t.head[0]
	}
	for c := 1; c < len(t.head); c++ {
		row := []cell{{text: t.head[c]}}
		for _, r := range t.rows {
			x := cell{}
			if c < len(r) {
				x = r[c]
			}
			row = append(row, x)
		}
		out.add(row...)
	}
	return out
}

// htmlTableOf is fromTable, with wide tables turned on their side.
func htmlTableOf(title, note string, t *table) htmlTable {
	if len(t.head) > maxHTMLColumns {
		t = transpose(t)
	}
	return fromTable(title, note, t)
}
