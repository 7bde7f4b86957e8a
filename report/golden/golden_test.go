package golden

import "testing"

func TestDiff(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
	b := "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n"
	want := `--- a
+++ b
@@ -2,9 +2,10 @@
 2
 3
 4
-5
+five
 6
 7
 8
 9
 10
+11
`
	if got := Diff("a", "b", a, b); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	far := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"
	farB := "x\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ny\n"
	wantFar := "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+x\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+y\n"
	if got := Diff("a", "b", far, farB); got != wantFar {
		t.Errorf("two hunks: got\n%s\nwant\n%s", got, wantFar)
	}
	if got := Diff("a", "b", a, a); got != "" {
		t.Errorf("equal texts give %q", got)
	}
	if got, want := Diff("a", "b", "", "x\n"), "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n"; got != want {
		t.Errorf("from empty: got %q, want %q", got, want)
	}
}
