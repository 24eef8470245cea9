package survey

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Limits of an info screen.
const (
	// MaxInfoTextLen is the characters of an info screen's text, per
	// language: a summary read standing, not the full document (link
	// that with a QR code).
	MaxInfoTextLen = 600
	// MaxImageBytes is the size of an info screen's image once decoded
	// from base64. The whole survey file stays within MaxDefinitionSize.
	MaxImageBytes = 256 << 10
	// MinImageSide and MaxImageSide bound an image's width and height in
	// pixels: a smaller one is a thumbnail blurred on a kiosk, a larger
	// one costs memory on a small kiosk for nothing a screen shows.
	MinImageSide = 32
	MaxImageSide = 2048
	// MaxQRURLLen is the bytes of a QR code's link: longer links make
	// dense codes that phones fail to read from a screen.
	MaxQRURLLen = 300
)

// Image data URI prefixes an info screen accepts, by format name.
var imagePrefixes = map[string]string{
	"png":  "data:image/png;base64,",
	"jpeg": "data:image/jpeg;base64,",
}

// DecodeImage decodes an info screen's image (a data URI as Question.Image
// holds it) into a picture, checking the rules Validate applies. The error
// is a Problem without its path.
func DecodeImage(uri string) (image.Image, error) {
	format := ""
	var b64 string
	for f, prefix := range imagePrefixes {
		if rest, ok := strings.CutPrefix(uri, prefix); ok {
			format, b64 = f, rest
		}
	}
	bad := func(rule, vi, en string) error { return Problem{Rule: rule, Vi: vi, En: en} }
	if format == "" {
		return nil, bad("image_format",
			"Ảnh phải ghi dạng data URI bắt đầu bằng “data:image/png;base64,” hoặc “data:image/jpeg;base64,” rồi đến nội dung ảnh mã hoá base64 (xem docs/survey-format.md).",
			`The image must be a data URI starting "data:image/png;base64," or "data:image/jpeg;base64," followed by the picture in base64 (see docs/survey-format.md).`)
	}
	if n := base64.StdEncoding.DecodedLen(len(b64)); n > MaxImageBytes+2 {
		return nil, bad("image_too_large",
			fmt.Sprintf("Ảnh quá lớn (khoảng %d KB), tối đa %d KB: hãy thu nhỏ ảnh hoặc lưu với chất lượng thấp hơn.", n>>10, MaxImageBytes>>10),
			fmt.Sprintf("The image is too large (about %d KB); at most %d KB: scale it down or save it at a lower quality.", n>>10, MaxImageBytes>>10))
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, bad("image_base64",
			"Nội dung ảnh sau dấu phẩy không phải base64 hợp lệ (có thể bị cắt hoặc có dấu cách, xuống dòng).",
			"The image data after the comma is not valid base64 (it may be cut short or hold spaces or line breaks).")
	}
	if len(raw) > MaxImageBytes {
		return nil, bad("image_too_large",
			fmt.Sprintf("Ảnh quá lớn (%d KB), tối đa %d KB: hãy thu nhỏ ảnh hoặc lưu với chất lượng thấp hơn.", len(raw)>>10, MaxImageBytes>>10),
			fmt.Sprintf("The image is too large (%d KB); at most %d KB: scale it down or save it at a lower quality.", len(raw)>>10, MaxImageBytes>>10))
	}
	decodeConfig, decode := png.DecodeConfig, png.Decode
	if format == "jpeg" {
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	}
	cfg, err := decodeConfig(bytes.NewReader(raw))
	if err != nil {
		return nil, bad("image_unreadable",
			fmt.Sprintf("Không đọc được ảnh: nội dung không phải ảnh %s như phần đầu “data:image/%s” ghi.", strings.ToUpper(format), format),
			fmt.Sprintf("The image cannot be read: its data is not a %s picture as its \"data:image/%s\" prefix says.", strings.ToUpper(format), format))
	}
	if cfg.Width < MinImageSide || cfg.Height < MinImageSide || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide {
		return nil, bad("image_size",
			fmt.Sprintf("Ảnh có kích thước %d×%d điểm ảnh; mỗi chiều phải từ %d đến %d.", cfg.Width, cfg.Height, MinImageSide, MaxImageSide),
			fmt.Sprintf("The image is %d×%d pixels; each side must be between %d and %d.", cfg.Width, cfg.Height, MinImageSide, MaxImageSide))
	}
	img, err := decode(bytes.NewReader(raw))
	if err != nil {
		return nil, bad("image_unreadable",
			fmt.Sprintf("Không đọc được ảnh: tệp ảnh %s bị hỏng hoặc bị cắt.", strings.ToUpper(format)),
			fmt.Sprintf("The image cannot be read: the %s data is damaged or cut short.", strings.ToUpper(format)))
	}
	return img, nil
}

// ImageDataURI returns raw PNG or JPEG bytes as the data URI an info
// screen's Image holds, or "" when raw is neither.
func ImageDataURI(raw []byte) string {
	var prefix string
	switch {
	case bytes.HasPrefix(raw, []byte("\x89PNG\r\n\x1a\n")):
		prefix = imagePrefixes["png"]
	case bytes.HasPrefix(raw, []byte("\xff\xd8\xff")):
		prefix = imagePrefixes["jpeg"]
	default:
		return ""
	}
	return prefix + base64.StdEncoding.EncodeToString(raw)
}

// ImageBytes returns the picture bytes and the file extension ("png" or
// "jpg") of an image data URI, or nil when it is not one.
func ImageBytes(uri string) ([]byte, string) {
	for f, prefix := range imagePrefixes {
		if rest, ok := strings.CutPrefix(uri, prefix); ok {
			raw, err := base64.StdEncoding.DecodeString(rest)
			if err != nil {
				return nil, ""
			}
			if f == "jpeg" {
				return raw, "jpg"
			}
			return raw, f
		}
	}
	return nil, ""
}

// info checks what only an info screen holds, and that it holds nothing
// of a question's.
func (c *problems) info(path string, q *Question) {
	c.text(path+".title", q.Title, false, MaxTitleLen, false)
	if q.Image != "" {
		if _, err := DecodeImage(q.Image); err != nil {
			p := err.(Problem)
			c.add(path+".image", p.Rule, p.Vi, p.En)
		}
	}
	if q.QR != nil {
		c.qr(path+".qr", q.QR)
	}
	notAllowed := func(field string, set bool) {
		if set {
			c.add(path+"."+field, "info_field",
				fmt.Sprintf("Màn hình thông tin (info) không hỏi gì nên không có “%s”: hãy xoá trường này.", field),
				fmt.Sprintf("An info screen asks nothing, so it has no %q: remove this field.", field))
		}
	}
	notAllowed("options", len(q.Options) > 0)
	notAllowed("optional", q.Optional)
	notAllowed("index", q.Index != "")
	notAllowed("labels", q.Labels != nil)
}

// qr checks an info screen's QR code: an http(s) link short enough to
// scan, with a caption.
func (c *problems) qr(path string, qr *QRCode) {
	u, err := url.Parse(qr.URL)
	switch {
	case qr.URL == "":
		c.add(path+".url", "qr_url_missing",
			"Mã QR thiếu đường dẫn (url), ví dụ “https://duthaoonline.quochoi.vn”.",
			`The QR code has no link (url), e.g. "https://duthaoonline.quochoi.vn".`)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(qr.URL, " \t\n") || !utf8.ValidString(qr.URL):
		c.add(path+".url", "qr_url",
			fmt.Sprintf("Đường dẫn “%s” không hợp lệ: cần một địa chỉ web đầy đủ bắt đầu bằng https:// (hoặc http://), không có dấu cách.", qr.URL),
			fmt.Sprintf("Link %q is invalid: give a full web address starting with https:// (or http://), without spaces.", qr.URL))
	case len(qr.URL) > MaxQRURLLen:
		c.add(path+".url", "qr_url_too_long",
			fmt.Sprintf("Đường dẫn dài %d ký tự, tối đa %d: mã QR quá dày thì điện thoại khó quét; hãy dùng đường dẫn ngắn hơn.", len(qr.URL), MaxQRURLLen),
			fmt.Sprintf("The link is %d characters long; at most %d: a dense QR code is hard to scan; use a shorter link.", len(qr.URL), MaxQRURLLen))
	}
	c.text(path+".caption", qr.Caption, true, MaxOptionLen, false)
}
