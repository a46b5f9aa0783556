package imports

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseTime(t *testing.T) {
	now := utc("2026-12-06T12:00:00Z")
	for _, tc := range []struct {
		in   string
		want string // RFC 3339 in UTC; "" the zero time
		err  string
	}{
		{"2016-08-11T11:28:34.085Z", "2016-08-11T11:28:34.085Z", ""},
		{"2016-10-03T23:39:09Z", "2016-10-03T23:39:09Z", ""},
		{"2022-11-03T06:23:06.000000Z", "2022-11-03T06:23:06Z", ""},
		{"2022-04-05T15:37:31.62Z", "2022-04-05T15:37:31.62Z", ""},
		{"2026-08-02T07:59:54.000+00:00", "2026-08-02T07:59:54Z", ""},
		{"2012-01-03T23:36:29+02:00", "2012-01-03T21:36:29Z", ""},
		{"2017-12-10T08:28:36-08:00", "2017-12-10T16:28:36Z", ""},
		{"2016-08-12 15:23:28 UTC", "2016-08-12T15:23:28Z", ""},
		{"2021-04-28 21:50:00 +0200", "2021-04-28T19:50:00Z", ""},
		{"2025-05-02 12:30:19 +0000", "2025-05-02T12:30:19Z", ""},
		{"2022-06-13 15:35:59.146764+00:00", "2022-06-13T15:35:59.146764Z", ""},
		{"2021-02-23T02:41:37.886+0000", "2021-02-23T02:41:37.886Z", ""},
		{"1420452224", "2015-01-05T10:03:44Z", ""},
		{"1502709956288", "2017-08-14T11:25:56.288Z", ""},
		{"1502709956288001", "2017-08-14T11:25:56.288001Z", ""},
		{"1502709956288000110", "2017-08-14T11:25:56.28800011Z", ""},
		{"", "", ""},
		{"0", "", ""},
		{"0001-01-01T00:00:00Z", "", ""},
		{"0001-01-01 00:00:00 UTC", "", ""},
		{"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", ""},
		{"2026-12-06T12:04:59Z", "2026-12-06T12:04:59Z", ""},
		{"2026-12-06T12:05:01Z", "", "in the future"},
		{"1969-12-31T23:59:59Z", "", "before 1970"},
		{"1900-01-01T00:00:00Z", "", "before 1970"},
		{"2022-07-13 01:44:58.146", "", "has no zone"},
		{"2022-07-13T01:44:58", "", "has no zone"},
		{"2016-08-12 15:23:28 PST", "", "want a time"},
		{"yesterday", "", "want a time"},
		{"1502709956.288", "", "want a time"},
		{"99999999999999999999", "", "out of range"},
		{"0123", "", "whole number"},
		{strings.Repeat("9", 70), "", "out of range"},
	} {
		got, err := ParseTime(tc.in, now)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseTime(%q) = %v, %v; want error %q", tc.in, got, err, tc.err)
			}
		case err != nil:
			t.Errorf("ParseTime(%q): %v", tc.in, err)
		case tc.want == "" && !got.IsZero():
			t.Errorf("ParseTime(%q) = %v, want the zero time (not yet)", tc.in, got)
		case tc.want != "" && !got.Equal(utc(tc.want)):
			t.Errorf("ParseTime(%q) = %v, want %s", tc.in, got.UTC().Format(time.RFC3339Nano), tc.want)
		}
	}
}

// TestCorpusTimeFormats reads each time format of the corpus in the file
// that writes it.
func TestCorpusTimeFormats(t *testing.T) {
	needCorpus(t)
	first := func(b *Batch) Incident { return Combine(b).Incidents[0] }
	for _, tc := range []struct {
		name, source, file string
		get                func(*Batch) time.Time
		want               string
	}{
		{"ISO with milliseconds", GitLabPipelines, "sources/gitlab/gitlab4j__pipeline.json",
			func(b *Batch) time.Time { return b.Pipelines[0].Created }, "2016-08-11T11:28:34.085Z"},
		{"ISO without fraction", GitHubPulls, "sources/github-pulls/go-playground__github.pull-request-review.json",
			func(b *Batch) time.Time { return b.Reviews[0].Submitted }, "2016-10-03T23:39:09Z"},
		{"ISO with two fraction digits", Opsgenie, "sources/incidents/faros__opsgenie.incidents.json",
			func(b *Batch) time.Time { return b.Incidents[1].Opened }, "2022-04-05T15:37:31.62Z"},
		{"space and UTC", GitLabPipelines, "sources/gitlab/go-gitlab__webhooks.pipeline.json",
			func(b *Batch) time.Time { return b.Pipelines[0].Created }, "2016-08-12T15:23:28Z"},
		{"space and +0200", GitLabDeployments, "sources/gitlab/go-gitlab__webhooks.deployment.json",
			func(b *Batch) time.Time { return b.Deployments[0].Time }, "2021-04-28T19:50:00Z"},
		{"space and +0000", GitLabDeployments, "sources/gitlab/zulip__deployment_hook__failed.json",
			func(b *Batch) time.Time { return b.Deployments[0].Time }, "2025-05-02T12:30:19Z"},
		{"ISO with .000+00:00", GitLabDeployments, "sources/gitlab/zulip__deployment_hook__blocked.json",
			func(b *Batch) time.Time { return b.Deployments[0].Updated }, "2026-08-02T07:59:54Z"},
		{"epoch milliseconds", Opsgenie, "sources/incidents/zulip__opsgenie.create.json",
			func(b *Batch) time.Time { return b.Incidents[0].Opened }, "2017-08-14T11:25:56.288Z"},
		{"epoch nanoseconds", Opsgenie, "sources/incidents/zulip__opsgenie.create.json",
			func(b *Batch) time.Time { return b.Incidents[0].Updated }, "2017-08-14T11:25:56.28800011Z"},
		{"epoch nanoseconds of a close", Opsgenie, "sources/incidents/zulip__opsgenie.close.json",
			func(b *Batch) time.Time { return b.Incidents[0].Resolved }, "2015-01-05T10:06:14.669001603Z"},
		{"webhook ms", PagerDuty, "sources/incidents/zulip__pagerduty.triggered_v3.json",
			func(b *Batch) time.Time { return b.Incidents[0].Opened }, "2021-06-04T13:35:29.781Z"},
		{"null merged_at", GitHubPulls, "sources/github-pulls/octokit-webhooks__pull_request.opened.payload.json",
			func(b *Batch) time.Time { return b.Pulls[0].Merged }, ""},
		{"null started_at of a job", GitLabPipelines, "sources/gitlab/go-gitlab__webhooks.build.json",
			func(b *Batch) time.Time { return b.Jobs[0].Started }, ""},
		{"PagerDuty resolved_at null while triggered", PagerDuty, "sources/incidents/faros__pagerduty.incidents.json",
			func(b *Batch) time.Time { return first(b).Resolved }, ""},
		{"PagerDuty webhook without created_at", PagerDuty, "sources/incidents/zulip__pagerduty.resolved_v3.json",
			func(b *Batch) time.Time { return b.Incidents[0].Opened }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mustParse(t, tc.source, tc.file, 0)
			got := tc.get(b)
			switch {
			case tc.want == "" && !got.IsZero():
				t.Errorf("got %v, want not yet (the zero time)", got)
			case tc.want != "" && !got.Equal(utc(tc.want)):
				t.Errorf("got %s, want %s", got.UTC().Format(time.RFC3339Nano), tc.want)
			}
		})
	}
}

// TestCorpusEpochNanoseconds shows why Opsgenie's updatedAt is read from
// the number's text: 19 digits do not survive a float64.
func TestCorpusEpochNanoseconds(t *testing.T) {
	needCorpus(t)
	var raw struct {
		Alert struct {
			UpdatedAt json.Number `json:"updatedAt"`
		} `json:"alert"`
	}
	if err := json.Unmarshal(readCorpus(t, "sources/incidents/zulip__opsgenie.create.json"), &raw); err != nil {
		t.Fatal(err)
	}
	exact, err := strconv.ParseInt(string(raw.Alert.UpdatedAt), 10, 64)
	if err != nil || exact != 1502709956288000110 {
		t.Fatalf("updatedAt %s", raw.Alert.UpdatedAt)
	}
	f, _ := raw.Alert.UpdatedAt.Float64()
	if int64(f) == exact {
		t.Fatalf("float64 kept %d: the test shows nothing", exact)
	}
	b := mustParse(t, Opsgenie, "sources/incidents/zulip__opsgenie.create.json", 0)
	if got := b.Incidents[0].Updated.UnixNano(); got != exact {
		t.Errorf("updated %d ns, want %d", got, exact)
	}
}

// TestCorpusNotYet reads Squadcast's "0001-01-01T00:00:00Z" (its "not
// yet") as the zero time, and its real times as times.
func TestCorpusNotYet(t *testing.T) {
	needCorpus(t)
	var items []map[string]any
	if err := json.Unmarshal(readCorpus(t, "sources/incidents/faros__squadcast.incidents.json"), &items); err != nil {
		t.Fatal(err)
	}
	zeros, times := 0, 0
	for _, it := range items {
		for _, k := range []string{"created_at", "acknowledged_at", "resolved_at"} {
			s, _ := it[k].(string)
			got, err := ParseTime(s, corpusNow)
			switch {
			case err != nil:
				t.Errorf("%s %q: %v", k, s, err)
			case strings.HasPrefix(s, "0001-01-01"):
				zeros++
				if !got.IsZero() {
					t.Errorf("%s %q = %v, want not yet", k, s, got)
				}
			default:
				times++
				if got.Year() < 2021 {
					t.Errorf("%s %q = %v", k, s, got)
				}
			}
		}
	}
	if zeros == 0 || times == 0 {
		t.Errorf("read %d not-yet values and %d times, want some of both", zeros, times)
	}
}

// TestCorpusFuture refuses a payload whose time is more than 5 minutes
// past the now given.
func TestCorpusFuture(t *testing.T) {
	needCorpus(t)
	b := readCorpus(t, "sources/gitlab/zulip__deployment_hook__blocked.json")
	_, err := Parse(GitLabDeployments, "blocked.json", b, Options{Now: utc("2026-08-02T07:50:00Z")})
	if err == nil || !strings.Contains(err.Error(), "blocked.json: $.status_changed_at: time 2026-08-02T07:59:54Z is in the future") {
		t.Fatalf("got %v", err)
	}
	if _, err := Parse(GitLabDeployments, "blocked.json", b, Options{Now: utc("2026-08-02T07:55:00Z")}); err != nil {
		t.Fatalf("4 minutes early: %v", err)
	}
}
