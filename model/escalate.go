package model

import (
	"fmt"
	"math"
	"time"
)

// Escalations is an escalation path. In a scenario it is one table
// (`escalate = { to = "specialist", p = 0.05 }`) or a list of them for a
// path of several steps.
type Escalations []Escalation

// UnmarshalTOML implements toml.Unmarshaler.
func (e *Escalations) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case map[string]any:
		s, err := escalationFrom(x)
		if err != nil {
			return err
		}
		*e = Escalations{s}
	case []map[string]any:
		for _, m := range x {
			s, err := escalationFrom(m)
			if err != nil {
				return err
			}
			*e = append(*e, s)
		}
	case []any:
		for _, it := range x {
			m, ok := it.(map[string]any)
			if !ok {
				return fmt.Errorf("escalate: each step must be a table such as { to = \"specialist\", p = 0.1 }")
			}
			s, err := escalationFrom(m)
			if err != nil {
				return err
			}
			*e = append(*e, s)
		}
	default:
		return fmt.Errorf("escalate must be a table such as { to = \"specialist\", p = 0.1 } or a list of them")
	}
	return nil
}

func escalationFrom(m map[string]any) (Escalation, error) {
	var s Escalation
	for k, v := range m {
		var err error
		switch k {
		case "from":
			s.From, err = asString(k, v)
		case "to":
			s.To, err = asString(k, v)
		case "p":
			s.P, err = asFloat(k, v)
		case "handle_time":
			dm, ok := v.(map[string]any)
			if !ok {
				return s, fmt.Errorf("escalate.handle_time must be a table such as { dist = \"exponential\", mean = \"12m\" }")
			}
			var d DistSpec
			d, err = distFrom(dm)
			s.HandleTime = &d
		default:
			return s, fmt.Errorf("escalate: unknown key %q (want from, to, p, handle_time)", k)
		}
		if err != nil {
			return s, fmt.Errorf("escalate.%w", err)
		}
	}
	return s, nil
}

func distFrom(m map[string]any) (DistSpec, error) {
	var d DistSpec
	for k, v := range m {
		var err error
		switch k {
		case "dist":
			d.Dist, err = asString(k, v)
		case "file":
			d.File, err = asString(k, v)
		case "cv":
			d.CV, err = asFloat(k, v)
		case "mean", "value":
			var s string
			if s, err = asString(k, v); err == nil {
				var dur time.Duration
				if dur, err = ParseDuration(s); err != nil {
					err = fmt.Errorf("handle_time.%s: %w", k, err)
				} else if k == "mean" {
					d.Mean.Duration = dur
				} else {
					d.Value.Duration = dur
				}
			}
		default:
			return d, fmt.Errorf("handle_time: unknown key %q", k)
		}
		if err != nil {
			return d, err
		}
	}
	return d, nil
}

func asString(k string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string", k)
	}
	return s, nil
}

func asFloat(k string, v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("%s must be a finite number", k)
		}
		return x, nil
	case int64:
		return float64(x), nil
	}
	return 0, fmt.Errorf("%s must be a number", k)
}
