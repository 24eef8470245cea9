package sqlite

import (
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// storeMetrics are the store's Prometheus series: the hub registers the
// store as a collector (hub.New), so /metrics shows them.
type storeMetrics struct {
	query *prometheus.HistogramVec // pool, op
	conns *prometheus.Desc         // pool, state
	waits *prometheus.Desc         // pool
}

func newStoreMetrics() *storeMetrics {
	return &storeMetrics{
		query: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hailong_store_query_seconds",
			Help:    "Time of the store's main operations, by pool (writer, readers) and operation (ingest, responses page, figures).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16), // 0.5 ms .. 16 s
		}, []string{"pool", "op"}),
		conns: prometheus.NewDesc("hailong_store_pool_connections", "Connections of a pool, by state (idle, in_use, open, max).",
			[]string{"pool", "state"}, nil),
		waits: prometheus.NewDesc("hailong_store_pool_acquire_wait_seconds_total", "Time spent waiting for a free connection.",
			[]string{"pool"}, nil),
	}
}

// observe records how long an operation that started at start took.
func (m *storeMetrics) observe(pool, op string, start time.Time) {
	m.query.WithLabelValues(pool, op).Observe(time.Since(start).Seconds())
}

// Describe implements prometheus.Collector.
func (s *Store) Describe(ch chan<- *prometheus.Desc) {
	s.metrics.query.Describe(ch)
	ch <- s.metrics.conns
	ch <- s.metrics.waits
}

// Collect implements prometheus.Collector: pool statistics and operation times.
func (s *Store) Collect(ch chan<- prometheus.Metric) {
	s.metrics.query.Collect(ch)
	for _, p := range []struct {
		name string
		db   *sql.DB
	}{{"writer", s.w}, {"readers", s.r}} {
		st := p.db.Stats()
		for state, v := range map[string]int{"idle": st.Idle, "in_use": st.InUse, "open": st.OpenConnections, "max": st.MaxOpenConnections} {
			ch <- prometheus.MustNewConstMetric(s.metrics.conns, prometheus.GaugeValue, float64(v), p.name, state)
		}
		ch <- prometheus.MustNewConstMetric(s.metrics.waits, prometheus.CounterValue, st.WaitDuration.Seconds(), p.name)
	}
}
