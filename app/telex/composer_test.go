package telex

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

type composeCase struct {
	keys, want string
}

// checkCases types each case's keys into a new Composer and compares the
// text with want, normalised to NFC so that the expectation itself cannot
// hide a decomposed character.
func checkCases(t *testing.T, mode Mode, cases []composeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.keys, func(t *testing.T) {
			c := New(mode)
			c.TypeString(tc.keys)
			got := c.Text()
			if want := norm.NFC.String(tc.want); got != want {
				t.Errorf("%s %q: got %q, want %q", mode, tc.keys, got, want)
			}
			if !norm.NFC.IsNormalString(got) {
				t.Errorf("%s %q: %q is not NFC", mode, tc.keys, got)
			}
		})
	}
}

func TestTelexTones(t *testing.T) {
	checkCases(t, Telex, []composeCase{
		{"as", "á"}, {"af", "à"}, {"ar", "ả"}, {"ax", "ã"}, {"aj", "ạ"},
		{"es", "é"}, {"ef", "è"}, {"er", "ẻ"}, {"ex", "ẽ"}, {"ej", "ẹ"},
		{"is", "í"}, {"if", "ì"}, {"ir", "ỉ"}, {"ix", "ĩ"}, {"ij", "ị"},
		{"os", "ó"}, {"of", "ò"}, {"or", "ỏ"}, {"ox", "õ"}, {"oj", "ọ"},
		{"us", "ú"}, {"uf", "ù"}, {"ur", "ủ"}, {"ux", "ũ"}, {"uj", "ụ"},
		{"ys", "ý"}, {"yf", "ỳ"}, {"yr", "ỷ"}, {"yx", "ỹ"}, {"yj", "ỵ"},
		// a new tone replaces the old one
		{"asf", "à"}, {"afj", "ạ"}, {"arx", "ã"},
		// z removes the tone; with no tone it is a letter
		{"asz", "a"}, {"maj z", "mạ z"}, {"z", "z"},
		// the same tone twice undoes it and types the key
		{"ass", "as"}, {"aff", "af"}, {"arr", "ar"}, {"axx", "ax"}, {"ajj", "aj"},
		// after an undo the rest of the word is literal
		{"asss", "ass"}, {"assf", "asf"},
		// tone keys with no vowel are letters
		{"s", "s"}, {"x", "x"}, {"tr", "tr"}, {"rats", "rát"},
		// upper case
		{"AS", "Á"}, {"As", "Á"}, {"HAFI", "HÀI"}, {"Hafi", "Hài"},
	})
}

func TestTelexMarks(t *testing.T) {
	checkCases(t, Telex, []composeCase{
		{"aa", "â"}, {"ee", "ê"}, {"oo", "ô"}, {"dd", "đ"},
		{"aw", "ă"}, {"ow", "ơ"}, {"uw", "ư"}, {"w", "ư"}, {"tw", "tư"},
		{"AA", "Â"}, {"Aa", "Â"}, {"DD", "Đ"}, {"Dd", "Đ"}, {"W", "Ư"}, {"UW", "Ư"},
		// doubling undoes
		{"aaa", "aa"}, {"eee", "ee"}, {"ooo", "oo"}, {"ddd", "dd"},
		{"aww", "aw"}, {"oww", "ow"}, {"uww", "uw"}, {"ww", "w"}, {"tww", "tw"},
		// switching marks
		{"awa", "â"}, {"aaw", "ă"}, {"owo", "ô"}, {"oow", "ơ"},
		// two-vowel groups
		{"uow", "uơ"}, {"uwow", "ươ"}, {"huow", "huơ"}, {"huowng", "hương"}, {"uowng", "ương"}, {"uoo", "uô"}, {"iee", "iê"}, {"yee", "yê"},
		{"uaw", "ưa"}, {"oaw", "oă"}, {"uaa", "uâ"}, {"uee", "uê"}, {"uiw", "ưi"}, {"uuw", "ưu"},
		{"oiw", "ơi"}, {"ooi", "ôi"}, {"aay", "ây"}, {"aau", "âu"}, {"eeu", "êu"},
		{"uoiw", "ươi"}, {"uouw", "ươu"}, {"ieeu", "iêu"}, {"yeeu", "yêu"}, {"uyee", "uyê"},
		{"thuowr", "thuở"}, {"thuwor", "thưở"}, {"dduwocj", "được"}, {"tuwongf", "tường"}, {"tuwoi", "tươi"}, {"huwo", "hưo"}, {"quow", "quơ"},
		// marks typed after the final consonant
		{"tono", "tôn"}, {"tonw", "tơn"}, {"tonwo", "tôn"}, {"dod", "đo"}, {"ddonwg", "đơng"},
		{"truongw", "trương"}, {"dduocwj", "được"}, {"dduwowcj", "được"},
		// no vowel can take the mark: the key is a letter
		{"hiw", "hiw"}, {"boa", "boa"}, {"boaa", "boaa"}, {"ba", "ba"},
		// d only at the start of a word
		{"bd", "bd"}, {"add", "add"},
	})
}

func TestTelexWords(t *testing.T) {
	checkCases(t, Telex, []composeCase{
		{"hafi lofng", "hài lòng"}, {"haif long", "hài long"}, {"hai lonfg", "hai lòng"},
		{"Tooi raats hafi lofng", "Tôi rất hài lòng"},
		{"ddi", "đi"}, {"tooi", "tôi"}, {"raats", "rất"}, {"raast", "rất"},
		{"Vieetj Nam", "Việt Nam"}, {"Vietej Nam", "Việt Nam"},
		{"nguwowif", "người"}, {"nguoiwf", "người"}, {"truwowngf", "trường"},
		{"cuwar", "cửa"}, {"muwa", "mưa"}, {"mwa", "mưa"}, {"cuwuf", "cừu"}, {"ruwowuj", "rượu"},
		{"tieengs", "tiếng"}, {"chuyeenj", "chuyện"}, {"khuyeens", "khuyến"}, {"muoons", "muốn"},
		{"tuaanf", "tuần"}, {"xoawn", "xoăn"}, {"hoawngf", "hoằng"},
		{"thur tucj hanhf chinhs", "thủ tục hành chính"},
		{"dichj vuj coong", "dịch vụ công"}, {"ddanhs gias", "đánh giá"},
		{"Raats khoong hafi lofng", "Rất không hài lòng"}, {"binhf thuwowngf", "bình thường"},
		{"Thanhf phoos Haf Nooij", "Thành phố Hà Nội"},
		{"ddieejn thoaij 1022", "điện thoại 1022"},
	})
}

func TestTonePlacement(t *testing.T) {
	checkCases(t, Telex, []composeCase{
		// modern style: oa, oe, uy open syllables take the tone on the second vowel
		{"hoaf", "hoà"}, {"hoas", "hoá"}, {"khoer", "khoẻ"}, {"thuyr", "thuỷ"}, {"tuys", "tuý"},
		{"loef", "loè"}, {"oaf", "oà"},
		// the tone moves as letters are typed
		{"hoafn", "hoàn"}, {"hofan", "hoàn"}, {"hoajch", "hoạch"}, {"huyfnh", "huỳnh"},
		{"hafi", "hài"}, {"ngoafi", "ngoài"}, {"xoays", "xoáy"}, {"khuyur", "khuỷu"},
		{"khuyar", "khuỷa"}, {"ngoeoj", "ngoẹo"},
		// open two-vowel groups other than oa, oe, uy: first vowel
		{"muaf", "mùa"}, {"mias", "mía"}, {"chaus", "cháu"}, {"tayf", "tày"}, {"tuis", "túi"},
		{"diuj", "dịu"}, {"dieeuj", "diệu"}, {"keor", "kẻo"}, {"caor", "cảo"},
		// marked vowels take the tone, ơ in ươ
		{"nguwowfi", "người"}, {"muwas", "mứa"}, {"thuowr", "thuở"}, {"gwir", "gửi"},
		// qu and gi belong to the initial
		{"quas", "quá"}, {"quys", "quý"}, {"quyeets", "quyết"}, {"quoocs", "quốc"},
		{"giaf", "già"}, {"gifa", "già"}, {"giuwx", "giữ"}, {"giuwowngf", "giường"}, {"gif", "gì"},
		{"gifn", "gìn"}, {"gieengs", "giếng"}, {"giups", "giúp"},
		// not a Vietnamese syllable: tone keys are letters
		{"class", "class"}, {"email", "email"}, {"bas", "bá"}, {"abs", "abs"},
	})
}

func TestVNI(t *testing.T) {
	checkCases(t, VNI, []composeCase{
		{"a1", "á"}, {"a2", "à"}, {"a3", "ả"}, {"a4", "ã"}, {"a5", "ạ"},
		{"a10", "a"}, {"a12", "à"}, {"0", "0"}, {"a0", "a0"},
		{"a6", "â"}, {"e6", "ê"}, {"o6", "ô"}, {"o7", "ơ"}, {"u7", "ư"}, {"a8", "ă"}, {"d9", "đ"},
		{"a11", "a1"}, {"a66", "a6"}, {"o77", "o7"}, {"a88", "a8"}, {"d99", "d9"},
		{"a68", "ă"}, {"a86", "â"}, {"o76", "ô"},
		{"uo7", "uơ"}, {"u7o7", "ươ"}, {"thuo73", "thuở"}, {"huo7ng", "hương"}, {"ua7", "ưa"}, {"oa8", "oă"}, {"ie6", "iê"}, {"uo6", "uô"},
		{"ha2i lo2ng", "hài lòng"}, {"hai2 long2", "hài lòng"},
		{"To6i ra6t1 ha2i lo2ng", "Tôi rất hài lòng"}, {"d9i", "đi"},
		{"nguo72i", "người"}, {"Vie65t Nam", "Việt Nam"}, {"hoa2", "hoà"}, {"thuy3", "thuỷ"},
		{"qua1", "quá"}, {"gia2", "già"},
		// digits with no vowel are digits
		{"2026", "2026"}, {"so61 1022", "số 1022"},
		// Telex keys are letters in VNI
		{"hafi", "hafi"}, {"dd", "dd"}, {"aw", "aw"},
	})
}

func TestBackspace(t *testing.T) {
	cases := []struct {
		keys  string
		backs int
		more  string
		want  string
	}{
		{"hafi", 1, "", "hà"},
		{"hafi", 1, "i", "hài"},
		{"tooi", 1, "", "tô"},
		{"tooi", 2, "", "t"},
		{"ass", 1, "s", "á"}, // backspace ends the literal state
		{"as", 1, "", ""},
		{"", 3, "", ""},
		{"hoaf", 1, "", "ho"},
		{"a b", 1, "", "a "},
		{"ww", 1, "w", "ư"},
	}
	for _, tc := range cases {
		c := New(Telex)
		c.TypeString(tc.keys)
		for range tc.backs {
			c.Backspace()
		}
		c.TypeString(tc.more)
		if got := c.Text(); got != tc.want {
			t.Errorf("%q, %d backspaces, %q: got %q, want %q", tc.keys, tc.backs, tc.more, got, tc.want)
		}
	}
}

func TestBackspaceDecomposed(t *testing.T) {
	// x with a combining circumflex has no precomposed form: it stays two
	// runes, and backspace removes both.
	c := New(Telex)
	c.SetText("ax\u0302")
	c.Backspace()
	if got := c.Text(); got != "a" {
		t.Errorf("got %q, want %q", got, "a")
	}
}

func TestSetTextNormalises(t *testing.T) {
	c := New(Telex)
	nfd := norm.NFD.String("hài lòng")
	c.SetText(nfd + "\x00\xff")
	if got := c.Text(); got != "hài lòng" {
		t.Fatalf("SetText(NFD): got %q, want NFC %q", got, "hài lòng")
	}
	c.TypeString("f")
	if got := c.Text(); got != "hài lòngf" {
		// "lòng" already has huyền: f undoes it
		if got != "hài longf" {
			t.Errorf("after f: got %q", got)
		}
	}
	c.SetText("ha")
	c.TypeString("fi")
	if got := c.Text(); got != "hài" {
		t.Errorf("continue word after SetText: got %q, want %q", got, "hài")
	}
}

func TestInsertDoesNotCompose(t *testing.T) {
	c := New(VNI)
	c.TypeString("a")
	c.Insert('2')
	if got := c.Text(); got != "a2" {
		t.Errorf("Insert in VNI: got %q, want %q", got, "a2")
	}
	c = New(Telex)
	c.TypeString("a")
	c.Insert('\u0301') // a combining acute composes under NFC
	if got := c.Text(); got != "á" {
		t.Errorf("Insert combining acute: got %q, want %q", got, "á")
	}
}

func TestSetModeKeepsText(t *testing.T) {
	c := New(Telex)
	c.TypeString("hafi ")
	c.SetMode(VNI)
	c.TypeString("lo2ng")
	if got, want := c.Text(), "hài lòng"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if c.Mode() != VNI || c.Mode().String() != "VNI" || Telex.String() != "Telex" {
		t.Errorf("Mode() = %v", c.Mode())
	}
}

func TestLetterRoundTrip(t *testing.T) {
	// Every Vietnamese letter parses and renders back to itself.
	const all = "aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựyýỳỷỹỵđ"
	for _, r := range all + norm.NFC.String(upper(all)) {
		l, ok := parseLetter(r)
		if !ok {
			t.Errorf("parseLetter(%q) failed", r)
			continue
		}
		if got := l.rune(); got != r {
			t.Errorf("round trip %q: got %q", r, got)
		}
	}
	for _, r := range "1 .ñüçßπ\u0301" {
		if _, ok := parseLetter(r); ok {
			t.Errorf("parseLetter(%q) accepted a non-Vietnamese letter", r)
		}
	}
}

func upper(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		if l, ok := parseLetter(r); ok {
			l.upper = true
			rs[i] = l.rune()
		}
	}
	return string(rs)
}

func FuzzComposer(f *testing.F) {
	f.Add("hafi lofng", false)
	f.Add("Tooi raats hafi lofng", false)
	f.Add("ha2i lo2ng", true)
	f.Add("nguwowif dduwowcj", false)
	f.Add("a\u0301\u0302x\u0323\b\x00\xff", false)
	f.Add("gifa quas khuyur", false)
	f.Fuzz(func(t *testing.T, keys string, vni bool) {
		mode := Telex
		if vni {
			mode = VNI
		}
		c := New(mode)
		for i, r := range keys {
			switch {
			case r == '\b':
				c.Backspace()
			case i%7 == 3:
				c.Insert(r)
			default:
				c.Type(r)
			}
			s := c.Text()
			if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
				t.Fatalf("keys %q: text %q is not NFC valid UTF-8", keys, s)
			}
		}
	})
}
