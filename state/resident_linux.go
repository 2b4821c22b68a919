package state

import "syscall"

// releaseMapped drops [addr, addr+size) of a shared file mapping from the
// process (resident.go). An error changes nothing that matters: the pages
// stay mapped, as they would without the call.
func releaseMapped(addr uintptr, size int64) {
	if addr == 0 || size <= 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, addr, uintptr(size), syscall.MADV_DONTNEED)
}
