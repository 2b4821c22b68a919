package metrics

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// ErrInvalidLabel is wrapped by every error about a --metrics-label.
var ErrInvalidLabel = errors.New("invalid metrics label")

// LabelError says which --metrics-label argument was refused and why.
type LabelError struct {
	Arg    string // the argument as given, "" when the label came from a map
	Name   string // the label name, when one could be read
	Reason string
}

// Error names the flag, the argument and what was expected.
func (e *LabelError) Error() string {
	if e.Arg != "" {
		return fmt.Sprintf("--metrics-label %q: %s", e.Arg, e.Reason)
	}
	return fmt.Sprintf("metrics label %q: %s", e.Name, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalidLabel) true.
func (e *LabelError) Unwrap() error { return ErrInvalidLabel }

// reservedLabel says why name is a label the metrics set themselves, which a
// run label of the same name would clash with; "" when it is free.
func reservedLabel(name string) string {
	switch name {
	case "job":
		return "it is set by --metrics-job (Pushgateway) or by the scrape (metrics file)"
	case "status":
		return NameRows + " uses it for the row status"
	case "code":
		return NameRequests + " uses it for the HTTP status bucket"
	}
	return ""
}

// ParseLabels reads repeated --metrics-label arguments, each "name=value".
// Names follow Prometheus' label-name rule ([a-zA-Z_][a-zA-Z0-9_]*), must not
// start with "__" (reserved by Prometheus) nor be job, status or code (used
// by the metrics themselves), and appear once. Values are non-empty UTF-8
// and may contain "=". No arguments give an empty, non-nil map.
func ParseLabels(args []string) (map[string]string, error) {
	labels := make(map[string]string, len(args))
	for _, arg := range args {
		name, value, ok := strings.Cut(arg, "=")
		if !ok {
			return nil, &LabelError{Arg: arg, Reason: "want name=value, e.g. pipeline=nightly-crm"}
		}
		if err := checkLabel(name, value); err != nil {
			err.Arg = arg
			return nil, err
		}
		if prev, dup := labels[name]; dup {
			return nil, &LabelError{Arg: arg, Name: name,
				Reason: fmt.Sprintf("label %q is already set to %q: give each label once", name, prev)}
		}
		labels[name] = value
	}
	return labels, nil
}

// checkLabels applies ParseLabels' rules to a map, in name order so the
// error is the same from one call to the next.
func checkLabels(labels map[string]string) error {
	names := make([]string, 0, len(labels))
	for n := range labels {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := checkLabel(n, labels[n]); err != nil {
			return err
		}
	}
	return nil
}

// checkLabel validates one label name and value.
func checkLabel(name, value string) *LabelError {
	switch {
	case name == "":
		return &LabelError{Reason: "the label name is empty: want name=value"}
	case !validLabelName(name):
		return &LabelError{Name: name, Reason: fmt.Sprintf(
			"%q is not a valid label name: use letters, digits and underscores, not starting with a digit", name)}
	case strings.HasPrefix(name, "__"):
		return &LabelError{Name: name, Reason: fmt.Sprintf(
			"%q is reserved: names starting with __ are for Prometheus' own use", name)}
	}
	if why := reservedLabel(name); why != "" {
		return &LabelError{Name: name, Reason: fmt.Sprintf("%q is reserved: %s", name, why)}
	}
	if value == "" {
		return &LabelError{Name: name, Reason: fmt.Sprintf(
			"label %q has an empty value: Prometheus treats an empty label as absent", name)}
	}
	if !utf8.ValidString(value) {
		return &LabelError{Name: name, Reason: fmt.Sprintf("the value of label %q is not valid UTF-8", name)}
	}
	return nil
}

// validLabelName is Prometheus' classic label-name rule. The newer UTF-8
// names would need quoting in every query; refusing them keeps queries plain.
func validLabelName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		digit := c >= '0' && c <= '9'
		if !letter && (!digit || i == 0) {
			return false
		}
	}
	return name != ""
}
