//go:build windows

package export

import (
	"errors"
	"syscall"
)

// Windows system error codes (winerror.h) for the same conditions.
const (
	errorWriteProtect    = syscall.Errno(19)  // ERROR_WRITE_PROTECT
	errorNotReady        = syscall.Errno(21)  // ERROR_NOT_READY
	errorCRC             = syscall.Errno(23)  // ERROR_CRC
	errorGenFailure      = syscall.Errno(31)  // ERROR_GEN_FAILURE
	errorHandleDiskFull  = syscall.Errno(39)  // ERROR_HANDLE_DISK_FULL
	errorDevNotExist     = syscall.Errno(55)  // ERROR_DEV_NOT_EXIST
	errorDiskFull        = syscall.Errno(112) // ERROR_DISK_FULL
	errorDeviceRemoved   = syscall.Errno(1617)
	errorNoMediaInDrive  = syscall.Errno(1112)
	errorFileTooLarge    = syscall.Errno(223) // ERROR_FILE_TOO_LARGE (FAT32's 4 GiB)
	errorIODevice        = syscall.Errno(1117)
	errorDeviceNotConnct = syscall.Errno(1167)
)

func isDiskFull(err error) bool {
	return errors.Is(err, errorDiskFull) || errors.Is(err, errorHandleDiskFull) || errors.Is(err, errorFileTooLarge)
}

func isReadOnly(err error) bool { return errors.Is(err, errorWriteProtect) }

func isDeviceGone(err error) bool {
	for _, e := range []error{errorNotReady, errorCRC, errorGenFailure, errorDevNotExist, errorDeviceRemoved, errorNoMediaInDrive, errorIODevice, errorDeviceNotConnct} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
