package protocol_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestFieldNamesMatchedExactly: encoding/json would fill service_point from
// "Service_Point"; the protocol refuses every key that is not exactly a
// field's name, at any depth, while answer codes (map keys) stay free.
func TestFieldNamesMatchedExactly(t *testing.T) {
	good := mustJSON(t, signedBatch(t, 2))
	if !bytes.Contains(good, []byte(`"service_point"`)) || !bytes.Contains(good, []byte(`"answers":{`)) {
		t.Fatalf("sample batch lacks the fields this test renames:\n%s", good)
	}
	tests := map[string]struct {
		from, to string
		code     string
	}{
		"Service_Point":    {`"service_point"`, `"Service_Point"`, protocol.CodeUnknownField},
		"SERVICE_POINT":    {`"service_point"`, `"SERVICE_POINT"`, protocol.CodeUnknownField},
		"Items":            {`"items"`, `"Items"`, protocol.CodeUnknownField},
		"Response":         {`"response"`, `"Response"`, protocol.CodeUnknownField},
		"Signature":        {`"signature"`, `"Signature"`, protocol.CodeUnknownField},
		"Answers":          {`"answers"`, `"Answers"`, protocol.CodeUnknownField},
		"Go field name":    {`"service_point"`, `"ServicePoint"`, protocol.CodeUnknownField},
		"exact names pass": {`"service_point"`, `"service_point"`, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			body := bytes.Replace(good, []byte(tt.from), []byte(tt.to), 1)
			_, err := protocol.DecodeBatch(bytes.NewReader(body))
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if got := protocol.ErrorCode(err); got != tt.code {
				t.Fatalf("code %q (%v), want %q", got, err, tt.code)
			}
			if !strings.Contains(err.Error(), strings.Trim(tt.to, `"`)) {
				t.Errorf("error %v does not name the field", err)
			}
		})
	}
	// Answer codes are map keys: any spelling is data, not a field name.
	body := bytes.Replace(good, []byte(`"answers":{`), []byte(`"answers":{"Q_Extra":["hl"],`), 1)
	if _, err := protocol.DecodeBatch(bytes.NewReader(body)); err != nil {
		t.Errorf("an answer code in capitals refused: %v", err)
	}
	var req protocol.EnrollRequest
	if err := protocol.Decode(strings.NewReader(`{"Code":"A","public_key":"AAAA"}`), 100, &req); protocol.ErrorCode(err) != protocol.CodeUnknownField {
		t.Errorf("enroll request with \"Code\": %v, want unknown_field", err)
	}
}
