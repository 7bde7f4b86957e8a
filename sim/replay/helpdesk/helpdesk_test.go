package helpdesk

import (
	"context"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		fail string
	}{
		{Config{Name: "rt5", URL: "http://h/REST/2.0", RT5CustomFields: "off"}, ""},
		{Config{Name: "zendesk", URL: "https://acme.zendesk.com", ZendeskGroups: "General=11, Tier2=22"}, ""},
		{Config{Name: "zendesk", URL: "https://acme.zendesk.com", ZendeskGroups: "General=x"}, "not a number"},
		{Config{Name: "zendesk", URL: "https://acme.zendesk.com", ZendeskGroups: "General"}, "not name=value"},
		{Config{Name: "generic", URL: "http://h"}, "needs --template"},
		{Config{Name: "bogus", URL: "http://h"}, "want rt5, zendesk, generic"},
	} {
		_, err := New(context.Background(), c.cfg)
		if (err == nil) != (c.fail == "") || err != nil && !strings.Contains(err.Error(), c.fail) {
			t.Errorf("%s %+v: err %v, want %q", c.cfg.Name, c.cfg, err, c.fail)
		}
	}
	if g, err := Groups("General=11, Tier2=22"); err != nil || g["General"] != 11 || g["Tier2"] != 22 {
		t.Errorf("Groups: %v %v", g, err)
	}
}
