package hub

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the hub's Prometheus series, on the hub's own registry.
type metrics struct {
	reg         *prometheus.Registry
	batches     *prometheus.CounterVec   // source, result
	items       *prometheus.CounterVec   // source, outcome
	duration    *prometheus.HistogramVec // source
	enrollments *prometheus.CounterVec   // result
	alerts      *prometheus.CounterVec   // rule, state
}

// newMetrics registers the hub's series (and the Go and process
// collectors) on a new registry.
func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hailong_hub_batches_total",
			Help: "Batches handled, by source (http, import) and result (committed, failed).",
		}, []string{"source", "result"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hailong_hub_items_total",
			Help: "Items in committed batches, by source and outcome (accepted, duplicate, conflict, rejected).",
		}, []string{"source", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hailong_hub_batch_duration_seconds",
			Help:    "Time to check and durably commit one batch, by source.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14), // 1 ms .. 8 s
		}, []string{"source"}),
		enrollments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hailong_hub_enrollments_total",
			Help: "Enrollment attempts, by result (ok, refused).",
		}, []string{"result"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hailong_hub_alert_crossings_total",
			Help: "Alert crossings this hub stored, by rule and state (raised, cleared).",
		}, []string{"rule", "state"}),
	}
	m.reg.MustRegister(m.batches, m.items, m.duration, m.enrollments, m.alerts,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
