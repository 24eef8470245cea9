package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// storeMetrics are the store's Prometheus series: the hub registers the
// store as a collector (hub.New), so /metrics shows them.
type storeMetrics struct {
	query *prometheus.HistogramVec // pool, op
	conns *prometheus.Desc         // pool, state
	waits *prometheus.Desc         // pool
	lag   *prometheus.Desc
}

func newStoreMetrics() *storeMetrics {
	return &storeMetrics{
		query: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hailong_store_query_seconds",
			Help:    "Time of each database statement, by pool (primary, replica) and statement kind (SELECT, INSERT, ...).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16), // 0.5 ms .. 16 s
		}, []string{"pool", "op"}),
		conns: prometheus.NewDesc("hailong_store_pool_connections", "Connections of a pool, by state (idle, acquired, total, max).",
			[]string{"pool", "state"}, nil),
		waits: prometheus.NewDesc("hailong_store_pool_acquire_wait_seconds_total", "Time spent waiting for a free connection.",
			[]string{"pool"}, nil),
		lag: prometheus.NewDesc("hailong_store_replica_lag_seconds", "How far the read replica's replay is behind the primary (0 when it has replayed all it received).",
			nil, nil),
	}
}

// tracer times every statement of one pool into the query histogram.
type tracer struct {
	m    *storeMetrics
	pool string
}

type traceStart struct{}

type started struct {
	at time.Time
	op string
}

func (t tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	op, _, _ := strings.Cut(strings.TrimSpace(data.SQL), " ")
	return context.WithValue(ctx, traceStart{}, started{at: time.Now(), op: strings.ToUpper(op)})
}

func (t tracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	if s, ok := ctx.Value(traceStart{}).(started); ok {
		t.m.query.WithLabelValues(t.pool, s.op).Observe(time.Since(s.at).Seconds())
	}
}

// Describe implements prometheus.Collector.
func (s *Store) Describe(ch chan<- *prometheus.Desc) {
	s.metrics.query.Describe(ch)
	ch <- s.metrics.conns
	ch <- s.metrics.waits
	ch <- s.metrics.lag
}

// Collect implements prometheus.Collector: pool statistics, statement
// times, and the replica's lag (asked at each scrape, at most a second).
func (s *Store) Collect(ch chan<- prometheus.Metric) {
	s.metrics.query.Collect(ch)
	pools := []struct {
		name string
		p    *pgxpool.Pool
	}{{"primary", s.pool}}
	if s.read != s.pool {
		pools = append(pools, struct {
			name string
			p    *pgxpool.Pool
		}{"replica", s.read})
	}
	for _, p := range pools {
		st := p.p.Stat()
		for state, v := range map[string]int32{"idle": st.IdleConns(), "acquired": st.AcquiredConns(), "total": st.TotalConns(), "max": st.MaxConns()} {
			ch <- prometheus.MustNewConstMetric(s.metrics.conns, prometheus.GaugeValue, float64(v), p.name, state)
		}
		ch <- prometheus.MustNewConstMetric(s.metrics.waits, prometheus.CounterValue, st.AcquireDuration().Seconds(), p.name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if lag, ok, err := s.ReplicaLag(ctx); ok && err == nil {
		ch <- prometheus.MustNewConstMetric(s.metrics.lag, prometheus.GaugeValue, lag.Seconds())
	}
}
