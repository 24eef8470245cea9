package hub

import (
	"fmt"
	"testing"
)

func TestChunkBounds(t *testing.T) {
	tests := []struct {
		n, workers int
		alone      bool
		want       []int
	}{
		{500, 2, true, []int{0, 64, 282, 500}},
		{500, 2, false, []int{0, 250, 500}},
		{500, 8, false, []int{0, 64, 128, 192, 256, 320, 384, 448, 500}},
		{100, 2, true, []int{0, 64, 100}},
		{128, 2, true, []int{0, 64, 128}},
		{1, 1, true, []int{0, 1}},
		{0, 1, true, []int{0}},
	}
	for _, tt := range tests {
		got := chunkBounds(tt.n, tt.workers, tt.alone)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("chunkBounds(%d, %d, %v) = %v, want %v", tt.n, tt.workers, tt.alone, got, tt.want)
		}
	}
}
