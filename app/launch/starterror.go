package launch

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/store"
)

// StartupMessage says in Vietnamese, then English, why the kiosk could not
// start, in words staff can act on; the full error goes to the log.
func StartupMessage(err error) (vi, en string) {
	switch {
	case errors.Is(err, ErrAlreadyRunning):
		return "Hài Lòng đang chạy trên máy này với cùng dữ liệu (ở cửa sổ khác hoặc tài khoản khác). Mỗi lúc chỉ mở được một kiosk; vui lòng dùng cửa sổ đang mở, hoặc đóng nó trước.",
			"Hài Lòng is already running on this machine with the same data (in another window or user account). Only one kiosk can be open at a time; use the open one, or close it first."
	case errors.Is(err, store.ErrNewerSchema):
		return "Dữ liệu được tạo bởi phiên bản Hài Lòng mới hơn. Vui lòng cài phiên bản mới nhất; dữ liệu không bị thay đổi.",
			"The data was written by a newer version of Hài Lòng. Install the latest version; the data was not changed."
	case errors.Is(err, store.ErrDiskFull):
		return "Ổ đĩa đã đầy nên không mở được dữ liệu. Vui lòng giải phóng dung lượng rồi mở lại ứng dụng.",
			"The disk is full, so the data cannot be opened. Free some space and start the app again."
	case errors.Is(err, store.ErrReadOnly):
		return "Thư mục dữ liệu đang ở chế độ chỉ đọc. Vui lòng kiểm tra ổ đĩa hoặc quyền ghi rồi mở lại ứng dụng.",
			"The data folder is read-only. Check the disk or the write permission and start the app again."
	}
	return "Không khởi động được ứng dụng do lỗi hệ thống. Vui lòng báo cán bộ kỹ thuật.",
		"The app could not start because of a system error. Please call technical staff."
}

// ShowStartupError opens a window with StartupMessage(err) and the path of
// the database, and a button that quits.
func ShowStartupError(a fyne.App, dbPath string, err error) fyne.Window {
	vi, en := StartupMessage(err)
	w := a.NewWindow("Hài Lòng")
	// Closing it quits, though Start made the kiosk window (never shown).
	w.SetMaster()
	msg := widget.NewLabel(vi + "\n\n" + en + "\n\n" + dbPath)
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Đóng / Close", a.Quit)
	quit.Importance = widget.HighImportance
	w.SetContent(container.NewBorder(nil, container.NewCenter(quit), nil, nil, msg))
	w.Resize(fyne.NewSize(640, 320))
	w.Show()
	return w
}
