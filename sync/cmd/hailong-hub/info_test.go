package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/launch/syncstore"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/survey/surveytest"
	"github.com/hailong-kiosk/hailong/assets"
	"github.com/hailong-kiosk/hailong/sync/client"
)

// TestPublishConsultation: the "Lấy ý kiến dự thảo" template, adapted by
// an admin (another id, a picture on its info screen), is published with
// `survey publish`; a kiosk pulls it whole, and answers given
// through it are accepted with no answer for the info screen.
func TestPublishConsultation(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	raw, err := assets.Surveys.ReadFile("surveys/lay-y-kien-du-thao.json")
	if err != nil {
		t.Fatal(err)
	}
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewGray(image.Rect(0, 0, 200, 120))); err != nil {
		t.Fatal(err)
	}
	def := strings.Replace(string(raw), `"id": "lay-y-kien-du-thao"`, `"id": "du-thao-thu-bay"`, 1)
	def = strings.Replace(def, `"qr": {`, `"image": "`+survey.ImageDataURI(pic.Bytes())+`",
      "qr": {`, 1)
	file := filepath.Join(dir, "du-thao.json")
	if err := os.WriteFile(file, []byte(def), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "survey", "publish", file, "--db", db); !strings.Contains(out, "Published du-thao-thu-bay version 1") {
		t.Errorf("publish output: %s", out)
	}
	base := startServe(t, "--db", db)

	kiosk, err := store.Open(ctx, filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer kiosk.Close()
	if _, err := client.Enroll(ctx, kiosk, nil, base, enrollCode(t, db)); err != nil {
		t.Fatal(err)
	}
	u := client.New(syncstore.New(kiosk), client.Options{})
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := kiosk.SurveyDef(ctx, "du-thao-thu-bay", 1)
	var compact bytes.Buffer
	json.Compact(&compact, []byte(def)) // the survey list carries definitions compacted
	if err != nil || !bytes.Equal(got, compact.Bytes()) {
		t.Fatalf("kiosk pulled %d bytes (%v), want the %d published", len(got), err, compact.Len())
	}
	s, err := survey.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := survey.DecodeImage(s.Questions[0].Image); err != nil || img.Bounds().Dx() != 200 {
		t.Fatalf("pulled picture: %v", err)
	}

	rng := rand.New(rand.NewPCG(11, 2026))
	saved := 0
	for saved < 10 {
		r, err := surveytest.Walk(rng, s, time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if r == nil {
			continue
		}
		if _, ok := r.Answers["du_thao"]; ok {
			t.Fatalf("a response answers the info screen: %v", r.Answers)
		}
		r.DeviceID = ""
		if err := kiosk.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		saved++
	}
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := kiosk.SyncStats(ctx); st != (store.SyncStats{Synced: saved}) {
		t.Errorf("after the sync: %+v, want all %d synced", st, saved)
	}
}
