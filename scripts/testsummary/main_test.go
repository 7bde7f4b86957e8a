package main

import (
	"strings"
	"testing"
)

func TestSummarise(t *testing.T) {
	in := `{"Action":"start","Package":"p/a"}
{"Action":"run","Package":"p/a","Test":"TestOK"}
{"Action":"output","Package":"p/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"pass","Package":"p/a","Test":"TestOK"}
{"Action":"output","Package":"p/a","Test":"TestWeb","Output":"=== RUN   TestWeb\n"}
{"Action":"output","Package":"p/a","Test":"TestWeb","Output":"    web_test.go:12: chromium is not installed\n"}
{"Action":"output","Package":"p/a","Test":"TestWeb","Output":"--- SKIP: TestWeb (0.00s)\n"}
{"Action":"skip","Package":"p/a","Test":"TestWeb"}
{"Action":"output","Package":"p/a","Output":"PASS\n"}
{"Action":"output","Package":"p/a","Output":"ok  \tp/a\t0.01s\n"}
{"Action":"pass","Package":"p/a"}
{"Action":"output","Package":"p/b","Test":"TestBad","Output":"=== RUN   TestBad\n"}
{"Action":"output","Package":"p/b","Test":"TestBad","Output":"    bad_test.go:3: want 2, got 3\n"}
{"Action":"output","Package":"p/b","Test":"TestBad","Output":"--- FAIL: TestBad (0.00s)\n"}
{"Action":"fail","Package":"p/b","Test":"TestBad"}
{"Action":"output","Package":"p/b","Output":"FAIL\tp/b\t0.02s\n"}
{"Action":"fail","Package":"p/b"}
`
	var out strings.Builder
	code := summarise(strings.NewReader(in), &out)
	want := "ok  \tp/a\t0.01s\n" +
		"    bad_test.go:3: want 2, got 3\n--- FAIL: TestBad (0.00s)\n" +
		"\nSKIPPED: 1 tests\n  p/a TestWeb: chromium is not installed\n\n" +
		"FAIL\tp/b\t0.02s\n"
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
	if code != 1 {
		t.Errorf("exit %d after a failure, want 1", code)
	}
}
