package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
)

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	if v, ok, err := s.Setting(ctx, "agency"); err != nil || ok || v != "" {
		t.Fatalf("unset Setting = %q, %v, %v", v, ok, err)
	}
	if err := s.SetSettings(ctx, map[string]string{
		"agency":         norm.NFD.String("UBND phường Hoàn Kiếm"),
		"idle_timeout_s": "60",
		"empty":          "",
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSettings(ctx, map[string]string{"idle_timeout_s": "90"}); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"agency": "UBND phường Hoàn Kiếm", "idle_timeout_s": "90", "empty": ""} {
		if v, ok, err := s.Setting(ctx, key); err != nil || !ok || v != want {
			t.Errorf("Setting(%q) = %q, %v, %v; want %q", key, v, ok, err, want)
		}
	}
	if err := s.SetSettings(ctx, map[string]string{"a": "1", "": "x"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty key: %v, want ErrInvalid", err)
	}
	if _, ok, _ := s.Setting(ctx, "a"); ok {
		t.Error("a failed SetSettings stored part of its pairs")
	}

	// The settings package reads its typed config through the store.
	cfg, err := settings.Load(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Agency != "UBND phường Hoàn Kiếm" || cfg.IdleTimeout != 90*time.Second {
		t.Errorf("settings.Load = %+v", cfg)
	}

	// Settings survive reopening.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if v, ok, err := s2.Setting(ctx, "idle_timeout_s"); err != nil || !ok || v != "90" {
		t.Errorf("after reopen Setting = %q, %v, %v", v, ok, err)
	}
}
