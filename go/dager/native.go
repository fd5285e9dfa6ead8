package dager

// #cgo pkg-config: dager
// #include <stdlib.h>
// #include "native.h"
import "C"

import "unsafe"

// messageBuffer receives a failure's message from the helpers of native.c.
type messageBuffer [C.GO_MESSAGE_SIZE]C.char

func (buffer *messageBuffer) pointer() *C.char {
	return &buffer[0]
}

// check turns a status and the message copied with it into an error.
func check(status C.dager_status, buffer *messageBuffer) error {
	if status == C.DAGER_OK {
		return nil
	}
	return &Error{Status: Status(status), Message: C.GoString(buffer.pointer())}
}

func cString(text string) *C.char {
	return C.CString(text)
}

func freeString(text *C.char) {
	C.free(unsafe.Pointer(text))
}
